import Foundation
import SpecTagKafka
import XCTest

/// Checks the test harness itself, so a broken broker setup is not mistaken for a client bug.
final class TansuBrokerTests: TansuTestCase {
    func testStopEndsBrokerProcess() throws {
        let broker = try XCTUnwrap(broker)
        XCTAssertTrue(broker.isRunning)

        broker.stop()

        XCTAssertFalse(broker.isRunning)
        XCTAssertTrue(broker.logTail().contains("tansu"), broker.logTail())
    }

    func testStopEndsFrozenBrokerProcess() throws {
        let broker = try XCTUnwrap(broker)
        broker.freeze()

        broker.stop()

        XCTAssertFalse(broker.isRunning)
    }
}
