import Foundation
import XCTest

/// `spectag bench pipeline` end to end against a Tansu broker, with the tiny test model.
final class BenchPipelineIntegrationTests: TansuTestCase {
    private static let messageCount = 20

    /// One row of the results table.
    private struct Row {
        var pipeline: String
        var rate: String
        var p50: Double
        var p99: Double
        var messagesPerInstance: [Int]

        /// Parses `| pipeline | instances | threads | rate | seconds | msg/s | per instance | p50 | p99 | cores | per CPU-s | RSS | messages |`.
        init?(_ line: Substring) {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 13, ["spectag", "python"].contains(cells[0]),
                  let p50 = Double(cells[7]), let p99 = Double(cells[8]) else { return nil }
            pipeline = cells[0]
            rate = cells[3]
            self.p50 = p50
            self.p99 = p99
            messagesPerInstance = cells[12].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
    }

    private struct BenchOutput {
        var status: Int32
        var standardOutput: String
        var standardError: String

        var rows: [Row] { standardOutput.split(separator: "\n").compactMap(Row.init) }
    }

    private func writeHeadlines() throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-headlines-\(UUID().uuidString.prefix(8)).txt")
        let headlines = [
            "Halvorsen Bank shares fall in Oslo after report .",
            "Nokia said on Monday it would cut 500 jobs in Finland .",
            "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn .",
        ]
        try (headlines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Runs `spectag bench pipeline` with the tiny model and one instance; the command's own
    /// `--timeout` bounds every run, so it ends by itself.
    private func runBench(_ extraArguments: [String]) throws -> BenchOutput {
        let headlines = try writeHeadlines()
        defer { try? FileManager.default.removeItem(at: headlines) }
        let process = Process()
        process.executableURL = try ServiceSubprocess.executable()
        process.arguments = [
            "bench", "pipeline", "--brokers", bootstrapServers[0], "--instances", "1",
            "--messages", String(Self.messageCount), "--partitions", "2",
            "--model", ServiceTestCase.tinyModel.path, "--sentences", headlines.path, "--timeout", "120",
        ] + extraArguments

        var environment = ProcessInfo.processInfo.environment
        environment["SPECTAG_LOG_LEVEL"] = "warning"
        process.environment = environment
        process.currentDirectoryURL = IntegrationEnvironment.packageRoot
        // Standard error goes to a file, so that the command never blocks on a full pipe
        // while the test reads standard output.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("bench-stderr-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice

        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return BenchOutput(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        )
    }

    private func assertValid(_ row: Row, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThan(row.p50, 0, "p50 of \(row.pipeline) at rate \(row.rate)", file: file, line: line)
        XCTAssertGreaterThan(row.p99, 0, "p99 of \(row.pipeline) at rate \(row.rate)", file: file, line: line)
        XCTAssertLessThanOrEqual(row.p50, row.p99, "\(row.pipeline) at rate \(row.rate)", file: file, line: line)
        XCTAssertEqual(row.messagesPerInstance, [Self.messageCount], "\(row.pipeline) at rate \(row.rate)", file: file, line: line)
    }

    func testSaturationAndFixedRateRowsHaveLatencies() throws {
        let output = try runBench(["--rates", "0,40"])

        XCTAssertEqual(output.status, 0, output.standardError)
        let rows = output.rows
        XCTAssertEqual(rows.map(\.pipeline), ["spectag", "spectag"], output.standardOutput)
        XCTAssertEqual(rows.map(\.rate), ["max", "40"], output.standardOutput)
        for row in rows {
            assertValid(row)
        }
    }

    func testPythonBaselineRowAndComparison() throws {
        let script = IntegrationEnvironment.packageRoot.appendingPathComponent("tools/bench/python_pipeline.py")
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", script.path, "--check"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            throw XCTSkip("python3 cannot import torch, transformers or confluent-kafka (python_pipeline.py --check exited \(check.terminationStatus)); the Python baseline is not tested")
        }

        let output = try runBench(["--rates", "0", "--python-baseline", "--python-threads", "1"])

        XCTAssertEqual(output.status, 0, output.standardError)
        let rows = output.rows
        XCTAssertEqual(rows.map(\.pipeline), ["spectag", "python"], output.standardOutput)
        for row in rows {
            assertValid(row)
        }
        XCTAssertTrue(output.standardOutput.contains("- 1 instance(s), input rate max: "), output.standardOutput)
        XCTAssertTrue(output.standardOutput.contains("\(Self.messageCount) messages compared"), output.standardOutput)
        XCTAssertTrue(output.standardOutput.contains("0 messages without a result from both"), output.standardOutput)
    }
}
