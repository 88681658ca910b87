import Foundation
import SpecTagKafka
import XCTest

/// `spectag produce` and `spectag consume` against a Tansu broker.
final class ServiceCommandsIntegrationTests: TansuTestCase {
    private struct CommandOutput {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    private func runSpecTag(_ arguments: [String]) throws -> CommandOutput {
        let process = Process()
        process.executableURL = try ServiceSubprocess.executable()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SPECTAG_LOG_LEVEL"] = "warning"
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandOutput(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self)
        )
    }

    private func records(_ output: CommandOutput) throws -> [[String: Any]] {
        try output.standardOutput.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
    }

    func testSamplesAreProducedAndConsumedUnchanged() async throws {
        let topic = uniqueName("samples")
        try await createTopic(topic)
        let samples = IntegrationEnvironment.packageRoot.appendingPathComponent("samples/news.jsonl")
        let lines = try String(contentsOf: samples, encoding: .utf8).split(separator: "\n").map(String.init)

        let produced = try runSpecTag(["produce", "--brokers", bootstrapServers[0], "--topic", topic, samples.path])
        let consumed = try runSpecTag([
            "consume", "--brokers", bootstrapServers[0], "--topic", topic, "--from-beginning",
            "--max-messages", String(lines.count), "--timeout", "20",
        ])
        let records = try records(consumed)

        XCTAssertEqual(produced.status, 0, produced.standardError)
        XCTAssertTrue(produced.standardError.contains("sent \(lines.count) of \(lines.count) messages to \(topic)"), produced.standardError)
        XCTAssertEqual(consumed.status, 0, consumed.standardError)
        XCTAssertEqual(records.count, lines.count)
        for (record, line) in zip(records, lines) {
            let original = try? JSONSerialization.jsonObject(with: Data(line.utf8))
            if let object = original as? [String: Any] {
                let value = try XCTUnwrap(record["value"] as? [String: Any], line)
                XCTAssertEqual(value as NSDictionary, object as NSDictionary)
                XCTAssertEqual(record["key"] as? String, object["id"] as? String, line)
            } else {
                XCTAssertEqual(record["value"] as? String, line)
                XCTAssertTrue(record["key"] is NSNull, line)
            }
            XCTAssertEqual(record["topic"] as? String, topic)
            XCTAssertNotNil(record["timestamp"] as? String)
        }
    }

    func testCSVRowsBecomeNewsMessages() async throws {
        let topic = uniqueName("csv")
        try await createTopic(topic)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("headlines-\(UUID().uuidString.prefix(8)).csv")
        let csv = "Time,Headlines\n19 July 2020,\"Acme wins, big\"\n2020-07-20,Second headline\n,\"Third\nline\"\n21 Jul 2020,\n"
        try Data(csv.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let produced = try runSpecTag([
            "produce", "--brokers", bootstrapServers[0], "--topic", topic, "--id-prefix", "g", "--source", "guardian",
            "--rate", "50", file.path,
        ])
        let consumed = try runSpecTag([
            "consume", "--brokers", bootstrapServers[0], "--topic", topic, "--from-beginning", "--max-messages", "3", "--timeout", "20",
        ])
        let values = try records(consumed).compactMap { $0["value"] as? [String: Any] }

        XCTAssertEqual(produced.status, 0, produced.standardError)
        XCTAssertEqual(values.count, 3)
        XCTAssertEqual(values.map { $0["id"] as? String }, ["g-1", "g-2", "g-3"])
        XCTAssertEqual(values.map { $0["headline"] as? String }, ["Acme wins, big", "Second headline", "Third\nline"])
        XCTAssertEqual(values.map { $0["published_at"] as? String }, ["2020-07-19T00:00:00Z", "2020-07-20T00:00:00Z", nil])
        XCTAssertEqual(values.map { $0["source"] as? String }, ["guardian", "guardian", "guardian"])
    }

    func testMissingCSVColumnIsReported() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("columns-\(UUID().uuidString.prefix(8)).csv")
        try Data("Date,Title\n2020-07-20,x\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let produced = try runSpecTag(["produce", "--brokers", bootstrapServers[0], "--topic", "unused", file.path])

        XCTAssertEqual(produced.status, 1)
        XCTAssertTrue(produced.standardError.contains("no column \"Headlines\"; the columns are Date, Title"), produced.standardError)
    }
}
