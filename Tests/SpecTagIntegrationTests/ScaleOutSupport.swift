import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

// MARK: - A `spectag serve` process

/// One `spectag serve` process started by a test, configured through `SPECTAG_*` environment
/// variables, with its metrics server on a free port of 127.0.0.1 and its log in a file.
///
/// It is started with `posix_spawn` and an empty signal mask, as ``TansuBroker`` is, so that
/// SIGTERM from ``terminate()`` reaches it even when the test thread blocks signals.
final class ServeProcess {
    let name: String
    let metricsPort: UInt16
    let logURL: URL
    private let processIdentifier: pid_t
    private var exitStatus: Int32?

    /// Starts `spectag serve` with `settings` as `SPECTAG_<KEY>` variables on top of this
    /// process's environment (which carries LD_LIBRARY_PATH for librdkafka 2.16).
    ///
    /// - Throws: ``ScaleOutError`` when the process cannot start.
    init(name: String, executable: URL, settings: [String: String]) throws {
        self.name = name
        metricsPort = try FreePort.find()
        logURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("spectag-serve-\(name)-\(UUID().uuidString.prefix(8)).log")
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in settings {
            environment["SPECTAG_" + key.uppercased()] = value
        }
        environment["SPECTAG_METRICS_ADDRESS"] = "127.0.0.1:\(metricsPort)"
        environment["SPECTAG_LOG_FORMAT"] = "json"
        environment["SPECTAG_LOG_LEVEL"] = environment["SPECTAG_LOG_LEVEL"] ?? "info"
        // One OpenBLAS thread each: three instances share the machine's cores.
        environment["OPENBLAS_NUM_THREADS"] = "1"
        processIdentifier = try Self.spawn(
            executable.path,
            arguments: ["serve"],
            environment: environment.map { "\($0.key)=\($0.value)" },
            logPath: logURL.path
        )
    }

    deinit {
        if isRunning {
            kill(processIdentifier, SIGKILL)
            var status: Int32 = 0
            waitpid(processIdentifier, &status, 0)
        }
    }

    // MARK: Process control

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

    /// Kills the process at once, as a crash or an OOM kill would.
    func killImmediately() {
        guard isRunning else { return }
        kill(processIdentifier, SIGKILL)
        var status: Int32 = 0
        waitpid(processIdentifier, &status, 0)
        exitStatus = status
    }

    /// Sends SIGTERM and waits up to `timeout` seconds for a graceful exit.
    ///
    /// - Returns: the exit code, or `nil` when the process did not exit in time (it is then
    ///   killed) or ended by a signal.
    func terminate(timeout: Double) -> Int32? {
        guard isRunning else { return exitCode }
        kill(processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning, Date() < deadline {
            usleep(20_000)
        }
        if isRunning {
            killImmediately()
            return nil
        }
        return exitCode
    }

    /// The exit code once the process exited normally; `nil` while it runs or after a signal.
    var exitCode: Int32? {
        guard let status = exitStatus, status & 0x7F == 0 else { return nil }
        return (status >> 8) & 0xFF
    }

    /// Returns the last `maxBytes` of the log.
    func logTail(maxBytes: Int = 3000) -> String {
        guard let data = try? Data(contentsOf: logURL) else { return "(no log at \(logURL.path))" }
        return String(decoding: data.suffix(maxBytes), as: UTF8.self)
    }

    /// Returns the JSON log lines that contain `text`.
    func logLines(containing text: String) -> [[String: Any]] {
        guard let data = try? Data(contentsOf: logURL) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard line.contains(text) else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }

    /// Returns the input partitions this process owns according to its log: the replay of its
    /// "partitions assigned" and "partitions revoked" lines for `topic`.
    func ownedPartitions(of topic: String) -> Set<Int32> {
        var owned: Set<Int32> = []
        for event in partitionEvents(of: topic) {
            if event.assigned {
                owned.formUnion(event.partitions)
            } else {
                owned.subtract(event.partitions)
            }
        }
        return owned
    }

    /// Returns the assignment changes in the log, oldest first. The service logs the partitions
    /// as `topic[0],topic[3]` in the field `partitions`.
    func partitionEvents(of topic: String) -> [(assigned: Bool, partitions: Set<Int32>)] {
        logLines(containing: "partitions ").compactMap { line in
            guard let message = line["msg"] as? String, let list = line["partitions"] as? String else { return nil }
            let assigned: Bool
            if message.hasPrefix("partitions assigned") {
                assigned = true
            } else if message.hasPrefix("partitions revoked") {
                assigned = false
            } else {
                return nil
            }
            let partitions = list.split(separator: ",").compactMap { item -> Int32? in
                guard item.hasPrefix(topic + "["), item.hasSuffix("]") else { return nil }
                return Int32(item.dropFirst(topic.count + 1).dropLast())
            }
            return (assigned, Set(partitions))
        }
    }

    // MARK: HTTP endpoints

    /// Returns the status code of `GET path`, or `nil` while the server does not respond.
    func status(of path: String) -> Int? {
        (try? MetricsHTTP.get(path, port: metricsPort))?.status
    }

    /// Returns the value of the sample `name{labels}` on `/metrics`, 0 when it is absent.
    ///
    /// - Throws: ``ScaleOutError`` when the server does not respond.
    func metric(_ name: String, labels: [String: String] = [:]) throws -> Double {
        let response = try MetricsHTTP.get("/metrics", port: metricsPort)
        return PrometheusText.value(of: name, labels: labels, in: response.body) ?? 0
    }

    // MARK: Spawning

    private static func spawn(_ path: String, arguments: [String], environment: [String], logPath: String) throws -> pid_t {
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

        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var processIdentifier: pid_t = 0
        let result = posix_spawn(&processIdentifier, path, &fileActions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw ScaleOutError("cannot start \(path): \(String(cString: strerror(result)))")
        }
        return processIdentifier
    }
}

struct ScaleOutError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

// MARK: - The spectag executable

enum SpecTagExecutable {
    /// Returns the `spectag` executable that `swift build` put next to the test bundle.
    ///
    /// - Throws: ``ScaleOutError`` listing the paths that were tried.
    static func locate() throws -> URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [runner.deletingLastPathComponent(), Bundle(for: Marker.self).bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("spectag") }
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ScaleOutError("spectag executable not found at \(candidates.map(\.path)); run swift build --build-tests first")
        }
        return binary
    }

    private final class Marker {}
}

// MARK: - Ports and HTTP

enum FreePort {
    /// Binds port 0 on 127.0.0.1 and returns the port the kernel chose.
    ///
    /// NOTE: the port is free again before the service binds it, so another process could take
    /// it in between. The service then fails to start with "Address already in use".
    static func find() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ScaleOutError("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw ScaleOutError("bind(127.0.0.1:0) failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(descriptor, $0, &length)
            }
        }
        guard named == 0 else { throw ScaleOutError("getsockname() failed: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

/// `GET` requests to a metrics server on 127.0.0.1, over a plain socket with a 5 s timeout.
enum MetricsHTTP {
    struct Response {
        var status: Int
        var body: String
    }

    static func get(_ path: String, port: UInt16) throws -> Response {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ScaleOutError("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = FreePort.loopback(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw ScaleOutError("connect to 127.0.0.1:\(port) failed: errno \(errno)") }

        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else { throw ScaleOutError("sending to 127.0.0.1:\(port) failed: errno \(errno)") }

        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let headerEnd = text.range(of: "\r\n\r\n") else {
            throw ScaleOutError("incomplete HTTP response from 127.0.0.1:\(port)\(path)")
        }
        let statusLine = text[..<headerEnd.lowerBound].prefix { $0 != "\r" }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw ScaleOutError("invalid status line \"\(statusLine)\" from 127.0.0.1:\(port)\(path)")
        }
        return Response(status: status, body: String(text[headerEnd.upperBound...]))
    }
}

/// Reads sample values from the Prometheus text exposition format.
enum PrometheusText {
    /// Returns the value of the sample of `name` whose labels include `labels`, or the sum of
    /// all such samples when several match, or `nil` when none does. Label values must not
    /// contain commas, and the metrics that these tests read have none.
    static func value(of name: String, labels: [String: String], in text: String) -> Double? {
        var total: Double?
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard line.hasPrefix(name) else { continue }
            let rest = line.dropFirst(name.count)
            guard rest.first == "{" || rest.first == " " else { continue }
            var sampleLabels: [String: String] = [:]
            var valueText = rest
            if rest.first == "{", let close = rest.firstIndex(of: "}") {
                for pair in rest[rest.index(after: rest.startIndex)..<close].split(separator: ",") {
                    let keyValue = pair.split(separator: "=", maxSplits: 1)
                    guard keyValue.count == 2 else { continue }
                    sampleLabels[String(keyValue[0])] = String(keyValue[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
                }
                valueText = rest[rest.index(after: close)...]
            }
            guard labels.allSatisfy({ sampleLabels[$0.key] == $0.value }),
                  let value = Double(valueText.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") else {
                continue
            }
            total = (total ?? 0) + value
        }
        return total
    }
}
