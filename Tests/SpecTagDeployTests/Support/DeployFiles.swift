import Foundation
import XCTest

// MARK: - Paths

/// Locations of the deployment files, derived from this file's path.
enum DeployFiles {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Support
        .deletingLastPathComponent() // SpecTagDeployTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent()

    static let deployDirectory = packageRoot.appendingPathComponent("deploy")
    static let kubernetesDirectory = deployDirectory.appendingPathComponent("kubernetes")
    static let systemdDirectory = deployDirectory.appendingPathComponent("systemd")
    static let dockerDirectory = deployDirectory.appendingPathComponent("docker")
    static let deploymentGuide = packageRoot.appendingPathComponent("docs/deployment.md")

    /// Returns every `.yaml` file under `deploy/`, sorted by path.
    static func yamlFiles() throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: deployDirectory, includingPropertiesForKeys: nil) else {
            throw DeployTestError("cannot list \(deployDirectory.path)")
        }
        return enumerator.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
            .sorted { $0.path < $1.path }
    }

    static func text(_ url: URL) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw DeployTestError("cannot read \(url.path): \(error.localizedDescription)")
        }
    }

    /// Returns the input topic's partition count that docs/deployment.md states in the sentence
    /// "The manifests assume an input topic with **N partitions**".
    static func documentedPartitionCount() throws -> Int {
        let guide = try text(deploymentGuide)
        let pattern = try NSRegularExpression(pattern: #"input topic with \*\*(\d+) partitions\*\*"#)
        let range = NSRange(guide.startIndex..., in: guide)
        guard let match = pattern.firstMatch(in: guide, range: range),
              let numberRange = Range(match.range(at: 1), in: guide),
              let count = Int(guide[numberRange]) else {
            throw DeployTestError("\(deploymentGuide.path) does not state \"input topic with **N partitions**\"")
        }
        return count
    }
}

struct DeployTestError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

// MARK: - Tools

/// Finds programs on PATH and runs them, for the checks that need python3 or systemd-analyze.
enum ExternalTool {
    struct Output {
        var status: Int32
        var standardOutput: Data
        var standardError: String
    }

    /// Whether `CI=true`, where a missing tool fails the test instead of skipping it.
    static var isCI: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// Returns the first executable `name` on PATH, or `nil`.
    static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Returns the error for a missing tool: `XCTSkip` with `message`, or a failure when `CI=true`.
    static func missing(_ message: String) -> any Error {
        if isCI {
            return DeployTestError("\(message) (failing because CI=true)")
        }
        return XCTSkip(message)
    }

    /// Runs `executable` with `arguments` and standard input from /dev/null, and waits for it.
    static func run(_ executable: URL, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        process.standardInput = FileHandle.nullDevice
        try process.run()

        // Standard error is read on another thread so that neither pipe fills up and blocks the child.
        let errorBuffer = ErrorBuffer()
        let readers = DispatchGroup()
        DispatchQueue.global().async(group: readers) {
            errorBuffer.data = standardError.fileHandleForReading.readDataToEndOfFile()
        }
        let outputData = standardOutput.fileHandleForReading.readDataToEndOfFile()
        readers.wait()
        process.waitUntilExit()

        return Output(
            status: process.terminationStatus,
            standardOutput: outputData,
            standardError: String(decoding: errorBuffer.data, as: UTF8.self)
        )
    }

    /// Standard error of a child, written by one reader thread before `DispatchGroup.wait()` returns.
    private final class ErrorBuffer: @unchecked Sendable {
        var data = Data()
    }
}
