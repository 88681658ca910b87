import SpecTagLocalProcess
import XCTest

final class DeadlineTests: XCTestCase {
    func testReturnsResultBeforeDeadline() async throws {
        let value = try await withDeadline(seconds: 5, waitingFor: "a quick value") { 42 }
        XCTAssertEqual(value, 42)
    }

    func testThrowsAfterDeadline() async throws {
        let start = ContinuousClock.now
        do {
            _ = try await withDeadline(seconds: 0.2, waitingFor: "a value that never comes") {
                try await Task.sleep(for: .seconds(30))
                return 1
            }
            XCTFail("withDeadline returned instead of throwing")
        } catch let error as DeadlineExceeded {
            XCTAssertEqual(error.description, "timed out after 0.2 s waiting for a value that never comes")
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(10), "the operation was not cancelled at the deadline")
    }

    func testRethrowsOperationError() async {
        struct Failure: Error {}
        do {
            _ = try await withDeadline(seconds: 5, waitingFor: "a failing operation") { () async throws -> Int in
                throw Failure()
            }
            XCTFail("withDeadline returned instead of throwing")
        } catch {
            XCTAssertTrue(error is Failure, "\(error)")
        }
    }

    func testOptionalNilResultIsReturned() async throws {
        let value: Int? = try await withDeadline(seconds: 5, waitingFor: "an optional value") { nil }
        XCTAssertNil(value)
    }
}
