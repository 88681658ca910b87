import Foundation
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

/// Local TCP checks for the demo's broker and service; free ports and HTTP requests come from
/// `LoopbackHTTP`, which `bench pipeline` uses too.
enum LocalPorts {
    /// Waits until something accepts TCP connections on 127.0.0.1:`port`.
    static func waitForListener(port: Int, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if canConnect(port: port) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    private static func canConnect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
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
