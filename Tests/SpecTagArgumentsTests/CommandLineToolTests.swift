import Foundation
import XCTest

import SpecTagArguments

final class CommandLineToolTests: XCTestCase {
    func testSuccessfulRunExitsZero() async {
        let (status, output) = await runTool(["kafka", "topics"])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(output.standardError, "")
    }

    func testHelpGoesToStandardOutput() async {
        let (status, output) = await runTool(["serve", "--help"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(output.standardOutput.hasPrefix("Usage: tool serve"), output.standardOutput)
        XCTAssertEqual(output.standardError, "")
    }

    func testVersionGoesToStandardOutput() async {
        let (status, output) = await runTool(["--version"])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(output.standardOutput, "tool 1.2.3\n")
    }

    func testUsageErrorPrintsMessageAndUsage() async {
        let (status, output) = await runTool(["serve", "--model", "m", "in.txt", "--max-draft", "abc"])
        XCTAssertEqual(status, 64)
        XCTAssertEqual(output.standardOutput, "")
        XCTAssertEqual(output.standardError, """
            Error: --max-draft: 'abc' is not an integer
            Usage: tool serve [<options>] --model <path> <input> [<output>] [<extra> ...]
            Run 'tool serve --help' for more information.

            """)
    }

    func testRunErrorPrintsMessageAndExitsOne() async {
        let (status, output) = await runTool(["fail"])
        XCTAssertEqual(status, 1)
        XCTAssertEqual(output.standardError, "Error: broker 127.0.0.1:9092 is unreachable\n")
    }

    func testExitCodeErrorIsSilent() async {
        let (status, output) = await runTool(["quit"])
        XCTAssertEqual(status, 3)
        XCTAssertEqual(output.standardError, "")
    }

    func testGroupWithoutSubcommandPrintsHelpAndExits64() async {
        let (status, output) = await runTool(["kafka"])
        XCTAssertEqual(status, 64)
        XCTAssertTrue(output.standardError.hasPrefix("Usage: tool kafka <command>"), output.standardError)
        XCTAssertTrue(output.standardError.contains("topics"), output.standardError)
    }

    func testDeclarationBugExitsOne() async {
        let (status, output) = await runTool([], root: BrokenDefinition.self)
        XCTAssertEqual(status, 1)
        XCTAssertTrue(output.standardError.hasPrefix("Error: internal error:"), output.standardError)
    }
}

// MARK: - The built spectag binary

/// Runs the `spectag` executable that `swift build` placed next to the test bundle.
final class SpecTagBinaryTests: XCTestCase {
    private func spectagExecutable() throws -> URL {
        // The test runner is `<products>/spectagPackageTests.xctest` on Linux, and the bundle's
        // parent on macOS. Both directories also contain the `spectag` executable once it is built.
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [
            runner.deletingLastPathComponent(),
            Bundle(for: Self.self).bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("spectag") }
        guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("spectag executable not built next to the tests; looked at \(candidates.map(\.path))")
        }
        return executable
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = try spectagExecutable()
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"]
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        try process.run()
        let output = outputPipe.fileHandleForReading.readDataToEndOfFile()
        let error = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    func testBinaryHelpListsVersionCommand() throws {
        let result = try run(["--help"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.hasPrefix("Usage: spectag <command>"), result.output)
        XCTAssertTrue(result.output.contains("\n  version "), result.output)
    }

    func testBinaryVersionCommand() throws {
        let result = try run(["version"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.hasPrefix("spectag 0.1.0\nbuilt with Swift "), result.output)
    }

    func testBinaryUnknownOptionExits64() throws {
        let result = try run(["--no-such-option"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.error.hasPrefix("Error: unknown option '--no-such-option'"), result.error)
        XCTAssertEqual(result.output, "")
    }
}
