import Foundation
import SpecTagLocalProcess
#if canImport(Glibc)
import Glibc
#endif

/// A child process of the demo with its output in a log file.
final class DemoProcess {
    let name: String
    let logFile: URL
    private let process = Process()

    /// Starts `executable` with `arguments`, standard output and error going to `logFile`.
    /// - Throws: `CLIError` when it cannot be started.
    init(name: String, executable: URL, arguments: [String], logFile: URL, environment: [String: String]? = nil) throws {
        self.name = name
        self.logFile = logFile
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        if let environment { process.environment = environment }
        do { try process.run() } catch { throw CLIError("cannot start \(name) (\(executable.path)): \(error)") }
    }

    var isRunning: Bool { process.isRunning }
    var exitStatus: Int32 { process.terminationStatus }

    /// Sends SIGTERM and waits up to `timeout`, then sends SIGKILL.
    func stop(timeout: Duration) async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Local TCP checks for the demo's broker and service, built on `LoopbackPort` and
/// `LoopbackHTTP`, which `bench pipeline` uses too.
enum LocalPorts {
    /// Waits until something accepts TCP connections on 127.0.0.1:`port`.
    static func waitForListener(port: Int, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if LoopbackPort.acceptsConnection(port: UInt16(port)) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Waits until `GET http://127.0.0.1:port/readyz` returns status 200, while `stillRunning`.
    static func waitForReady(port: Int, timeout: Duration, stillRunning: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, stillRunning() {
            if let response = try? LoopbackHTTP.get("/readyz", port: UInt16(port)), response.status == 200 {
                return true
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return false
    }
}
