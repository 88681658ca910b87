import Foundation
import SpecTagLocalProcess
import XCTest

/// `spectag produce` when no broker accepts its messages.
final class ProduceCommandTests: XCTestCase {
    func testProduceStopsAfterDeliveryTimeout() throws {
        // Nothing listens on this port, so every delivery times out after message.timeout.ms.
        let port = try LoopbackPort.free()
        let lines = (1...20).map { #"{"id": "p-\#($0)", "headline": "Markets rallied."}"# }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("spectag-produce-\(UUID()).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let output = try CommandRunner.run([
            "produce", "--brokers", "127.0.0.1:\(port)", "--in-flight", "2", "-X", "message.timeout.ms=500", file.path,
        ])

        XCTAssertEqual(output.status, 1, output.standardError)
        XCTAssertTrue(output.standardError.contains("message 1 was not delivered: "), output.standardError)
        XCTAssertTrue(output.standardError.contains("_MSG_TIMED_OUT"), output.standardError)
        XCTAssertTrue(output.standardError.contains("sent 0 of 20 messages to news"), output.standardError)
        XCTAssertTrue(output.standardError.contains("stopped after a delivery timed out; 18 messages were not sent"), output.standardError)
    }
}
