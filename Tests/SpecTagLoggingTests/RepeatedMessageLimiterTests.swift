import XCTest

@testable import SpecTagLogging

/// A clock that tests move by hand, in seconds.
private final class ManualClock: Sendable {
    private let time = Locked<Double>(0)

    func advance(by seconds: Double) {
        time.withLock { $0 += seconds }
    }

    var now: Double {
        time.withLock { $0 }
    }
}

final class RepeatedMessageLimiterTests: XCTestCase {
    private let clock = ManualClock()
    private lazy var limiter = RepeatedMessageLimiter(now: { [clock] in clock.now })
    private let recorder = RecordingLogHandler()
    private lazy var logger = Logger(label: "spectag.kafka", handler: recorder)

    func testLimiterWritesFirstThenCountEveryInterval() {
        let limited = logger.rateLimited(key: "poll", every: 10, limiter: limiter)

        XCTAssertTrue(limited.error("poll failed", ["error": "timeout"]))
        for _ in 0..<5 {
            clock.advance(by: 1)
            XCTAssertFalse(limited.error("poll failed"))
        }
        clock.advance(by: 5)
        XCTAssertTrue(limited.error("poll failed"))
        XCTAssertFalse(limited.error("poll failed"))

        XCTAssertEqual(recorder.messages, ["poll failed", "poll failed"])
        XCTAssertEqual(recorder.entries[0].metadata, ["error": "timeout"])
        XCTAssertEqual(recorder.entries[1].metadata["suppressed"], .int(5))
    }

    func testLimiterKeepsKeysApart() {
        XCTAssertTrue(logger.rateLimited(key: "a", every: 60, limiter: limiter).warning("a"))
        XCTAssertTrue(logger.rateLimited(key: "b", every: 60, limiter: limiter).warning("b"))
        let other = Logger(label: "spectag.other", handler: recorder)
        XCTAssertTrue(other.rateLimited(key: "a", every: 60, limiter: limiter).warning("a from other"))
        XCTAssertFalse(logger.rateLimited(key: "a", every: 60, limiter: limiter).warning("a"))
        XCTAssertEqual(recorder.messages, ["a", "b", "a from other"])
    }

    func testResetReturnsSuppressedCountAndRearms() {
        let limited = logger.rateLimited(key: "commit", every: 60, limiter: limiter)
        limited.error("commit failed")
        limited.error("commit failed")
        limited.error("commit failed")

        XCTAssertEqual(limited.reset(), 2)
        XCTAssertEqual(limited.reset(), 0)
        XCTAssertTrue(limited.error("commit failed"))
        XCTAssertEqual(recorder.entries.count, 2)
        XCTAssertNil(recorder.entries[1].metadata["suppressed"])
    }
}
