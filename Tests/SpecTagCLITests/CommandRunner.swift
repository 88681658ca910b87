import Foundation
import XCTest

/// Runs the `spectag` executable that `swift build` put next to the test bundle.
enum CommandRunner {
    struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    struct MissingExecutable: Error, CustomStringConvertible {
        let candidates: [String]
        var description: String { "spectag executable not found at \(candidates); run swift build --build-tests first" }
    }

    /// Returns the built executable. The test runner is `<products>/spectagPackageTests.xctest` on Linux,
    /// and `spectag` is in the same products folder.
    static func executable() throws -> URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [runner.deletingLastPathComponent(), Bundle(for: Marker.self).bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("spectag") }
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw MissingExecutable(candidates: candidates.map(\.path))
        }
        return binary
    }

    static func run(_ arguments: [String], input: String? = nil) throws -> Output {
        try run(arguments, inputBytes: input.map { Data($0.utf8) })
    }

    /// Runs `spectag` with raw bytes on standard input, for input that is not valid UTF-8.
    static func run(_ arguments: [String], inputBytes: Data?) throws -> Output {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SPECTAG_LOG_LEVEL"] = "warning"
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let inputBytes { standardInput.fileHandleForWriting.write(inputBytes) }
        try standardInput.fileHandleForWriting.close()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self), standardError: String(decoding: errorData, as: UTF8.self))
    }

    private final class Marker {}
}
