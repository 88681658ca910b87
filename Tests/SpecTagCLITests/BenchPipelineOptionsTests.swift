import Foundation
import XCTest

/// `spectag bench pipeline` option validation, which fails before any broker is contacted.
final class BenchPipelineOptionsTests: XCTestCase {
    /// Exit status of an invalid command line.
    private let usageStatus: Int32 = 64

    private func rejection(_ arguments: [String]) throws -> CommandRunner.Output {
        try CommandRunner.run(["bench", "pipeline", "--brokers", "127.0.0.1:1"] + arguments)
    }

    func testNegativeRateIsRejected() throws {
        let output = try rejection(["--rates", "0,-5"])
        XCTAssertEqual(output.status, usageStatus, output.standardError)
        XCTAssertTrue(output.standardError.contains("--rates must list rates of 0 or more messages per second, got '-5'"), output.standardError)
    }

    func testNonNumericRateIsRejected() throws {
        let output = try rejection(["--rates", "fast"])
        XCTAssertEqual(output.status, usageStatus, output.standardError)
        XCTAssertTrue(output.standardError.contains("got 'fast'"), output.standardError)
    }

    func testEmptyRateInListIsRejected() throws {
        let output = try rejection(["--rates", "0,,40"])
        XCTAssertEqual(output.status, usageStatus, output.standardError)
        XCTAssertTrue(output.standardError.contains("got ''"), output.standardError)
    }

    func testInfiniteRateIsRejected() throws {
        let output = try rejection(["--rates", "inf"])
        XCTAssertEqual(output.status, usageStatus, output.standardError)
        XCTAssertTrue(output.standardError.contains("got 'inf'"), output.standardError)
    }

    func testNegativePythonThreadsAreRejected() throws {
        let output = try rejection(["--python-baseline", "--python-threads", "-1"])
        XCTAssertEqual(output.status, usageStatus, output.standardError)
        XCTAssertTrue(output.standardError.contains("--python-threads must be 0 or more, got -1"), output.standardError)
    }

    func testHelpDocumentsRatesAndBaseline() throws {
        let output = try CommandRunner.run(["bench", "pipeline", "--help"])
        XCTAssertEqual(output.status, 0, output.standardError)
        XCTAssertTrue(output.standardOutput.contains("--rates <list>"), output.standardOutput)
        XCTAssertTrue(output.standardOutput.contains("0 sends as fast as possible"), output.standardOutput)
        XCTAssertTrue(output.standardOutput.contains("--python-baseline"), output.standardOutput)
        XCTAssertTrue(output.standardOutput.contains("nearest-rank p50 and p99"), output.standardOutput)
    }
}
