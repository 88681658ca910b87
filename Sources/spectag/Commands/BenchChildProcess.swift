import Foundation
#if canImport(Glibc)
import Glibc
#endif

// MARK: - A child process of the benchmark

/// A child process of `spectag bench pipeline` (a `spectag serve` instance or the Python
/// baseline), with its standard output and standard error in files and its CPU time and peak
/// memory read from `/proc`.
///
/// The child is started with `posix_spawn` and an empty signal mask so that SIGTERM reaches
/// it whatever the calling thread blocks.
final class BenchChildProcess {
    let name: String
    /// The child's standard error.
    let logURL: URL
    /// The child's standard output, or `nil` when it goes to /dev/null.
    let outputURL: URL?
    private let processIdentifier: pid_t
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments` and exactly `environment`.
    ///
    /// - Parameter keepOutput: writes standard output to a temporary file instead of /dev/null.
    /// - Throws: `CLIError` when the process cannot start.
    init(executable: String, arguments: [String], environment: [String: String], name: String, keepOutput: Bool = false) throws {
        self.name = name
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).log")
        outputURL = keepOutput ? FileManager.default.temporaryDirectory.appendingPathComponent("\(name).out") : nil
        processIdentifier = try Self.spawn(
            executable,
            arguments: arguments,
            environment: environment.map { "\($0.key)=\($0.value)" },
            outputPath: outputURL?.path ?? "/dev/null",
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

    /// Returns what the child wrote to standard output so far, or "" without `keepOutput`.
    func output() -> String {
        guard let outputURL, let data = try? Data(contentsOf: outputURL) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Stopping

    /// Sends SIGTERM to every running process, waits up to `gracePeriod` seconds for them all,
    /// kills those still running and deletes the files of those that exited cleanly.
    static func stopAll(_ processes: [BenchChildProcess], gracePeriod: Double) {
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGTERM)
        }
        let deadline = Date().addingTimeInterval(gracePeriod)
        while processes.contains(where: \.isRunning), Date() < deadline {
            usleep(20_000)
        }
        for process in processes {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                var status: Int32 = 0
                waitpid(process.processIdentifier, &status, 0)
                process.exitStatus = status
                FileHandle.standardError.write(Data("bench: \(process.name) ignored SIGTERM for \(Int(gracePeriod)) s and was killed; log: \(process.logURL.path)\n".utf8))
            } else if process.exitStatus == 0 {
                try? FileManager.default.removeItem(at: process.logURL)
                if let outputURL = process.outputURL {
                    try? FileManager.default.removeItem(at: outputURL)
                }
            }
        }
    }

    // MARK: Spawning

    private static func spawn(_ path: String, arguments: [String], environment: [String], outputPath: String, logPath: String) throws -> pid_t {
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
        posix_spawn_file_actions_addopen(&fileActions, STDOUT_FILENO, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&fileActions, STDERR_FILENO, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var processIdentifier: pid_t = 0
        let result = posix_spawnp(&processIdentifier, path, &fileActions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw CLIError("cannot start \(path): \(String(cString: strerror(result)))")
        }
        return processIdentifier
    }
}
