import Foundation
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Tansu broker process

/// A Tansu broker with in-memory storage, started on 127.0.0.1 on a free port.
///
/// Tansu is a Kafka-compatible broker that starts in milliseconds. Each test gets its own
/// broker, so topics and groups never leak between tests. ``stop()`` sends SIGTERM and,
/// after two seconds, SIGKILL; ``freeze()`` and ``thaw()`` suspend and resume the process
/// to simulate a hung broker.
///
/// The broker is started with `posix_spawn` and an empty signal mask instead of
/// Foundation's `Process`, because a child of a test thread inherits that thread's blocked
/// signals, and Tansu then never receives SIGTERM.
final class TansuBroker {
    let port: UInt16
    /// The broker's output, kept for diagnosing failures.
    let logURL: URL
    private let processIdentifier: pid_t
    private var exitStatus: Int32?

    var bootstrapServers: String { "127.0.0.1:\(port)" }

    /// Starts `binary` and waits until it accepts TCP connections.
    ///
    /// - Throws: ``TansuBrokerError`` when the process cannot start, exits early, or does
    ///   not accept connections within `startTimeout` seconds.
    init(binary: URL, startTimeout: Double = 10) throws {
        port = try Self.findFreePort()
        logURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("spectag-tansu-\(port)-\(UUID().uuidString).log")
        let listener = "tcp://127.0.0.1:\(port)"
        processIdentifier = try Self.spawn(
            binary: binary.path,
            arguments: [
                "broker",
                "--listener-url", listener,
                "--advertised-listener-url", listener,
                "--storage-engine", "memory://tansu/",
            ],
            logPath: logURL.path
        )
        try waitUntilAcceptingConnections(timeout: startTimeout)
    }

    deinit {
        stop()
    }

    // MARK: Process control

    /// Whether the broker process has not exited yet; reaps it when it has.
    var isRunning: Bool {
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        let result = waitpid(processIdentifier, &status, WNOHANG)
        if result == processIdentifier || result < 0 {
            exitStatus = status
            return false
        }
        return true
    }

    /// Stops the broker: SIGCONT in case it is frozen, SIGTERM, then SIGKILL after two
    /// seconds. Calling it again does nothing.
    func stop() {
        guard isRunning else { return }
        kill(processIdentifier, SIGCONT)
        kill(processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(2)
        while isRunning, Date() < deadline {
            usleep(10_000)
        }
        if isRunning {
            kill(processIdentifier, SIGKILL)
            var status: Int32 = 0
            waitpid(processIdentifier, &status, 0)
            exitStatus = status
        }
    }

    /// Suspends the broker with SIGSTOP: connections stay open but requests get no response.
    func freeze() {
        kill(processIdentifier, SIGSTOP)
    }

    /// Resumes a frozen broker with SIGCONT.
    func thaw() {
        kill(processIdentifier, SIGCONT)
    }

    /// Returns the last `maxBytes` of the broker's output.
    func logTail(maxBytes: Int = 4000) -> String {
        guard let data = try? Data(contentsOf: logURL) else { return "(no broker log at \(logURL.path))" }
        return String(decoding: data.suffix(maxBytes), as: UTF8.self)
    }

    // MARK: Spawning

    /// Starts `binary` with standard output and error going to `logPath`, standard input
    /// from /dev/null and no blocked signals; returns its process id.
    private static func spawn(binary: String, arguments: [String], logPath: String) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, STDOUT_FILENO, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&fileActions, STDOUT_FILENO, STDERR_FILENO)

        var argv: [UnsafeMutablePointer<CChar>?] = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var processIdentifier: pid_t = 0
        let result = posix_spawn(&processIdentifier, binary, &fileActions, &attributes, &argv, environ)
        guard result == 0 else {
            throw TansuBrokerError("cannot start \(binary): \(String(cString: strerror(result)))")
        }
        return processIdentifier
    }

    // MARK: Ports

    /// Binds port 0 on 127.0.0.1 and returns the port the kernel chose.
    ///
    /// NOTE: the port is released before Tansu binds it, so another process could take
    /// it in between. Startup then fails with a clear error instead of a hang.
    private static func findFreePort() throws -> UInt16 {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw TansuBrokerError("socket() failed: errno \(errno)") }
        defer { close(socketDescriptor) }

        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw TansuBrokerError("bind(127.0.0.1:0) failed: errno \(errno)") }

        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(socketDescriptor, $0, &length)
            }
        }
        guard named == 0 else { throw TansuBrokerError("getsockname() failed: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func loopbackAddress(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    private func waitUntilAcceptingConnections(timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard isRunning else {
                throw TansuBrokerError("Tansu exited with status \(exitStatus ?? -1) during startup:\n\(logTail())")
            }
            if Self.acceptsConnection(port: port) {
                return
            }
            usleep(10_000)
        }
        stop()
        throw TansuBrokerError("Tansu did not accept connections on 127.0.0.1:\(port) within \(timeout) s:\n\(logTail())")
    }

    private static func acceptsConnection(port: UInt16) -> Bool {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { return false }
        defer { close(socketDescriptor) }
        var address = loopbackAddress(port: port)
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}

struct TansuBrokerError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
