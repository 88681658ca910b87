import Foundation
import XCTest

/// Checks of `deploy/systemd`: the unit's hardening and drain settings, its environment file,
/// and `systemd-analyze verify` where it is installed.
final class SystemdUnitTests: XCTestCase {
    private var unitURL: URL { DeployFiles.systemdDirectory.appendingPathComponent("spectag.service") }
    private var environmentURL: URL { DeployFiles.systemdDirectory.appendingPathComponent("spectag.env") }

    private func unit() throws -> UnitFile {
        try UnitFile(parsing: DeployFiles.text(unitURL), name: unitURL.lastPathComponent)
    }

    func testUnitHasHardeningKeys() throws {
        let unit = try unit()
        let expected: [(key: String, value: String)] = [
            ("DynamicUser", "yes"),
            ("ProtectSystem", "strict"),
            ("ProtectHome", "yes"),
            ("PrivateTmp", "yes"),
            ("PrivateDevices", "yes"),
            ("NoNewPrivileges", "yes"),
            ("CapabilityBoundingSet", ""),
            ("AmbientCapabilities", ""),
            ("RestrictSUIDSGID", "yes"),
        ]
        for entry in expected {
            XCTAssertEqual(unit.value("Service", entry.key), entry.value, "[Service] \(entry.key)")
        }
        XCTAssertEqual(unit.values("Service", "ReadWritePaths"), [], "the service writes no files")
        let readOnly = try XCTUnwrap(unit.value("Service", "ReadOnlyPaths"))
        XCTAssertEqual(Set(readOnly.split(separator: " ").map(String.init)), ["/usr/local/share/spectag", "/etc/spectag"])
    }

    func testUnitRestartsAndStopsGracefully() throws {
        let unit = try unit()

        XCTAssertEqual(unit.value("Service", "Restart"), "on-failure")
        XCTAssertEqual(unit.value("Service", "KillSignal"), "SIGTERM")
        XCTAssertEqual(unit.value("Service", "EnvironmentFile"), "/etc/spectag/spectag.env")
        XCTAssertEqual(unit.value("Service", "ExecStart"), "/usr/local/bin/spectag serve")
        XCTAssertEqual(unit.value("Install", "WantedBy"), "multi-user.target")
    }

    func testStopTimeoutCoversShutdownTimeout() throws {
        let unit = try unit()
        let environment = EnvironmentFile.variables(in: try DeployFiles.text(environmentURL))
        let stopText = try XCTUnwrap(unit.value("Service", "TimeoutStopSec"))
        let stopSeconds = try XCTUnwrap(Int(stopText.replacingOccurrences(of: "s", with: "")), "TimeoutStopSec=\(stopText)")
        let shutdownMilliseconds = try XCTUnwrap(environment["SPECTAG_SHUTDOWN_TIMEOUT_MS"].flatMap { Int($0) })

        XCTAssertGreaterThanOrEqual(stopSeconds * 1000, shutdownMilliseconds + 10_000)
    }

    func testEnvironmentFileNamesTheServiceSettings() throws {
        let environment = EnvironmentFile.variables(in: try DeployFiles.text(environmentURL))

        for name in ["SPECTAG_BROKERS", "SPECTAG_GROUP_ID", "SPECTAG_INPUT_TOPIC", "SPECTAG_MODEL", "SPECTAG_METRICS_ADDRESS"] {
            XCTAssertNotNil(environment[name], "\(name) is missing from spectag.env")
        }
        XCTAssertEqual(environment["SPECTAG_METRICS_ADDRESS"], "127.0.0.1:9464")
        let all = EnvironmentFile.variables(in: try DeployFiles.text(environmentURL), includingCommented: true)
        XCTAssertNotNil(all["LD_LIBRARY_PATH"], "spectag.env must explain LD_LIBRARY_PATH for librdkafka")
    }

    /// `systemd-analyze verify` on a copy whose ExecStart names an existing binary, because
    /// verify rejects a missing executable and spectag is not installed in /usr/local/bin here.
    func testSystemdAnalyzeVerifyAcceptsUnit() throws {
        guard let analyze = ExternalTool.find("systemd-analyze") else {
            throw XCTSkip("systemd-analyze is not installed (Debian package systemd)")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("spectag-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("spectag.service")
        let text = try DeployFiles.text(unitURL)
            .replacingOccurrences(of: "ExecStart=/usr/local/bin/spectag serve", with: "ExecStart=/bin/true serve")
        try text.write(to: copy, atomically: true, encoding: .utf8)

        let output = try ExternalTool.run(analyze, ["verify", copy.path])

        XCTAssertEqual(output.status, 0, output.standardError)
        XCTAssertEqual(output.standardError.trimmingCharacters(in: .whitespacesAndNewlines), "", "systemd-analyze warned")
    }
}
