import Foundation
import SpecTagLocalProcess
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class ChildProcessTests: XCTestCase {
    private var logURL: URL!

    override func setUp() {
        logURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("spectag-local-process-\(UUID().uuidString.prefix(8)).log")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: logURL)
    }

    private func startShell(_ script: String, environment: [String: String]? = nil) throws -> ChildProcess {
        try ChildProcess(
            executable: "/bin/sh",
            arguments: ["-c", script],
            environment: environment,
            standardOutputPath: logURL.path,
            standardError: .standardOutput
        )
    }

    /// Polls until the process exits; fails the test after `seconds`.
    private func waitForExit(_ process: ChildProcess, seconds: Double = 10) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline {
            usleep(10_000)
        }
        XCTAssertFalse(process.isRunning, "the child did not exit within \(seconds) s")
    }

    func testExitCodeAndLogCaptured() throws {
        let process = try startShell("echo hi; echo oops >&2; exit 3")
        waitForExit(process)

        XCTAssertEqual(process.exitCode, 3)
        XCTAssertEqual(try String(contentsOf: logURL, encoding: .utf8), "hi\noops\n")
        XCTAssertEqual(LogFile.tail(of: logURL, maxBytes: 5), "oops\n")
    }

    func testStandardErrorInOwnFile() throws {
        let errorURL = logURL.appendingPathExtension("stderr")
        defer { try? FileManager.default.removeItem(at: errorURL) }
        let process = try ChildProcess(
            executable: "sh",
            arguments: ["-c", "echo out; echo err >&2"],
            environment: ["PATH": "/usr/bin:/bin"],
            standardOutputPath: logURL.path,
            standardError: .file(path: errorURL.path)
        )
        waitForExit(process)

        XCTAssertEqual(process.exitCode, 0)
        XCTAssertEqual(try String(contentsOf: logURL, encoding: .utf8), "out\n")
        XCTAssertEqual(try String(contentsOf: errorURL, encoding: .utf8), "err\n")
    }

    func testEnvironmentIsExactlyTheGivenOne() throws {
        let process = try startShell(#"echo "[$SPECTAG_PROBE][$HOME]""#, environment: ["SPECTAG_PROBE": "42"])
        waitForExit(process)

        XCTAssertEqual(try String(contentsOf: logURL, encoding: .utf8), "[42][]\n")
    }

    func testSigtermReachesChildDespiteBlockedMask() throws {
        // Block SIGTERM in this thread: the child must still get it, because the spawn resets
        // the signal mask.
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }

        let process = try startShell("trap 'echo got TERM; exit 7' TERM; echo ready; while :; do sleep 0.05; done")
        let readyDeadline = Date().addingTimeInterval(10)
        while LogFile.tail(of: logURL, maxBytes: 100)?.contains("ready") != true, Date() < readyDeadline {
            usleep(10_000)
        }

        XCTAssertTrue(process.terminate(gracePeriod: 10), "the child ignored SIGTERM: \(LogFile.tail(of: logURL, maxBytes: 500) ?? "")")
        XCTAssertEqual(process.exitCode, 7)
        XCTAssertTrue(try String(contentsOf: logURL, encoding: .utf8).contains("got TERM"))
    }

    func testTerminateKillsChildIgnoringSigterm() throws {
        let process = try startShell("trap '' TERM; echo ready; while :; do sleep 0.05; done")
        let readyDeadline = Date().addingTimeInterval(10)
        while LogFile.tail(of: logURL, maxBytes: 100)?.contains("ready") != true, Date() < readyDeadline {
            usleep(10_000)
        }

        XCTAssertFalse(process.terminate(gracePeriod: 0.3))
        XCTAssertFalse(process.isRunning)
        XCTAssertNil(process.exitCode, "a process ended by SIGKILL has no exit code")
        XCTAssertEqual(process.waitStatus.map { $0 & 0x7F }, SIGKILL)
    }

    func testMissingExecutableThrows() {
        XCTAssertThrowsError(try startShellless("/nonexistent/spectag-missing")) { error in
            let description = String(describing: error)
            XCTAssertTrue(description.hasPrefix("cannot start /nonexistent/spectag-missing: "), description)
        }
    }

    private func startShellless(_ executable: String) throws -> ChildProcess {
        try ChildProcess(
            executable: executable,
            arguments: [],
            environment: [:],
            standardOutputPath: "/dev/null",
            standardError: .standardOutput
        )
    }

    func testResourcesReadFromProc() throws {
        let process = try startShell("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo looped; sleep 30")
        defer { process.kill() }
        let loopDeadline = Date().addingTimeInterval(60)
        while LogFile.tail(of: logURL, maxBytes: 100)?.contains("looped") != true, Date() < loopDeadline {
            usleep(20_000)
        }

        XCTAssertTrue(process.isRunning)
        XCTAssertGreaterThan(process.cpuSeconds, 0, "the busy loop used no CPU time according to /proc")
        XCTAssertGreaterThan(process.peakResidentBytes, 0)

        process.kill()
        XCTAssertEqual(process.peakResidentBytes, 0, "a reaped process has no /proc entry")
        XCTAssertEqual(process.cpuSeconds, 0)
    }

    func testLogTailOfMissingFileIsNil() {
        XCTAssertNil(LogFile.tail(of: URL(fileURLWithPath: "/nonexistent/spectag.log"), maxBytes: 10))
    }
}
