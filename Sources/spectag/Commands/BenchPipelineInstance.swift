import Foundation
#if canImport(Glibc)
import Glibc
#endif

// MARK: - A serve process of the benchmark

/// One `spectag serve` child process of `spectag bench pipeline`, with its metrics server on a
/// free port of 127.0.0.1 and its standard error in a temporary log file.
///
/// The child is started with `posix_spawn` and an empty signal mask so that SIGTERM reaches
/// it whatever the calling thread blocks.
final class PipelineInstance {
    let name: String
    let metricsPort: UInt16
    let logURL: URL
    private let processIdentifier: pid_t
    private var exitStatus: Int32?

    /// Starts `executable serve` with `environment` plus the metrics address.
    ///
    /// - Throws: `CLIError` when no port is free or the process cannot start.
    init(executable: String, name: String, environment: [String: String]) throws {
        self.name = name
        metricsPort = try LoopbackHTTP.freePort()
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).log")
        var environment = environment
        environment["SPECTAG_METRICS_ADDRESS"] = "127.0.0.1:\(metricsPort)"
        processIdentifier = try Self.spawn(
            executable,
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

    /// Returns the path of the running `spectag` binary, read from `/proc/self/exe`.
    ///
    /// - Throws: `CLIError` when the link cannot be read.
    static func currentExecutable() throws -> String {
        let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        guard let path, FileManager.default.isExecutableFile(atPath: path) else {
            throw CLIError("cannot find the spectag executable through /proc/self/exe")
        }
        return path
    }

    // MARK: State

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

    /// Returns the status code of `GET /readyz`, or `nil` while the server does not respond.
    func readinessStatus() -> Int? {
        try? LoopbackHTTP.get("/readyz", port: metricsPort).status
    }

    /// Returns the sum of the samples of `name` whose labels include `labels`, or 0 when none matches.
    ///
    /// - Throws: `CLIError` when `/metrics` does not respond.
    func metric(_ name: String, labels: [String: String]) throws -> Double {
        let response = try LoopbackHTTP.get("/metrics", port: metricsPort)
        return PrometheusSamples.sum(of: name, labels: labels, in: response.body)
    }

    /// User and system CPU time so far, in seconds, from `/proc/<pid>/stat`; 0 once the process is gone.
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(processIdentifier)/stat", encoding: .utf8),
              let nameEnd = stat.lastIndex(of: ")") else { return 0 }
        // The fields after the parenthesised command name start with the state (field 3);
        // utime and stime are fields 14 and 15, in clock ticks.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Peak resident set size (`VmHWM` of `/proc/<pid>/status`) in bytes; 0 once the process is gone.
    var peakResidentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return kilobytes * 1024
    }

    func logTail(maxBytes: Int = 2000) -> String {
        guard let data = try? Data(contentsOf: logURL) else { return "(no log at \(logURL.path))" }
        return String(decoding: data.suffix(maxBytes), as: UTF8.self)
    }

    // MARK: Stopping

    /// Sends SIGTERM to every running instance, waits up to `gracePeriod` seconds for them all,
    /// kills those still running and deletes the logs of those that exited cleanly.
    static func stopAll(_ instances: [PipelineInstance], gracePeriod: Double) {
        for instance in instances where instance.isRunning {
            kill(instance.processIdentifier, SIGTERM)
        }
        let deadline = Date().addingTimeInterval(gracePeriod)
        while instances.contains(where: \.isRunning), Date() < deadline {
            usleep(20_000)
        }
        for instance in instances {
            if instance.isRunning {
                kill(instance.processIdentifier, SIGKILL)
                var status: Int32 = 0
                waitpid(instance.processIdentifier, &status, 0)
                instance.exitStatus = status
                FileHandle.standardError.write(Data("bench: \(instance.name) ignored SIGTERM for \(Int(gracePeriod)) s and was killed; log: \(instance.logURL.path)\n".utf8))
            } else if instance.exitStatus == 0 {
                try? FileManager.default.removeItem(at: instance.logURL)
            }
        }
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
        posix_spawn_file_actions_addopen(&fileActions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, STDERR_FILENO, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var processIdentifier: pid_t = 0
        let result = posix_spawn(&processIdentifier, path, &fileActions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw CLIError("cannot start \(path) serve: \(String(cString: strerror(result)))")
        }
        return processIdentifier
    }
}
