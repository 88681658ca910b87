@testable import SpecTagStreaming
import XCTest

final class RetryBackoffTests: XCTestCase {
    func testDelayDoublesUpToMaximum() {
        let backoff = RetryBackoff(initial: .milliseconds(100), maximum: .milliseconds(500))

        XCTAssertEqual(backoff.delay(attempt: 1), .milliseconds(100))
        XCTAssertEqual(backoff.delay(attempt: 2), .milliseconds(200))
        XCTAssertEqual(backoff.delay(attempt: 3), .milliseconds(400))
        XCTAssertEqual(backoff.delay(attempt: 4), .milliseconds(500))
        XCTAssertEqual(backoff.delay(attempt: 60), .milliseconds(500))
    }
}
