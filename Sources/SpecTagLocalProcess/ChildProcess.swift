import Foundation
#if canImport(Glibc)
import Glibc
#endif

// MARK: - A child process

/// A child process started with `posix_spawnp` and an empty signal mask, with standard input
/// from /dev/null and its output in files.
///
/// The empty mask matters because a child inherits the blocked signals of the thread that
/// spawns it: a child of a test thread or of a Swift concurrency thread would otherwise never
/// see SIGTERM. Foundation's `Process` does not reset the mask, so it is not used here.
///
/// The process is reaped by whichever of ``isRunning``, ``kill()`` or `deinit` first detects
/// its exit. `deinit` sends SIGKILL to a process that still runs and waits for it, so dropping the
/// last reference never leaves a child behind. Not thread-safe: use one instance from one task
/// or thread at a time.
public final class ChildProcess {
    /// The destination of the child's standard error.
    public enum StandardError {
        /// A file at this path, created or truncated.
        case file(path: String)
        /// The same file as standard output (`2>&1`).
        case standardOutput
    }

    public let processIdentifier: pid_t
    /// The raw `waitpid` status once the process has been reaped; `nil` while it runs.
    public private(set) var waitStatus: Int32?

    /// Starts `executable` with `arguments`.
    ///
    /// - Parameters:
    ///   - executable: a path, or a name looked up on PATH when it contains no slash.
    ///   - environment: exactly the child's environment, or `nil` for this process's own.
    ///   - standardOutputPath: a file that is created or truncated, or "/dev/null".
    /// - Throws: ``LocalProcessError`` "cannot start <executable>: <reason>" when
    ///   `posix_spawnp` fails, for example because the executable does not exist.
    public init(
        executable: String,
        arguments: [String],
        environment: [String: String]?,
        standardOutputPath: String,
        standardError: StandardError
    ) throws {
        processIdentifier = try Self.spawn(
            executable,
            arguments: arguments,
            environment: environment.map { $0.map { "\($0.key)=\($0.value)" } },
            standardOutputPath: standardOutputPath,
            standardError: standardError
        )
    }

    deinit {
        kill()
    }

    // MARK: State

    /// Whether the process has not exited yet. The first call that detects the exit reaps the process and
    /// stores ``waitStatus``.
    public var isRunning: Bool {
        guard waitStatus == nil else { return false }
        var status: Int32 = 0
        let result = waitpid(processIdentifier, &status, WNOHANG)
        if result == processIdentifier || result < 0 {
            waitStatus = status
            return false
        }
        return true
    }

    /// The exit code once the process exited normally; `nil` while it runs or when a signal
    /// ended it.
    public var exitCode: Int32? {
        guard let status = waitStatus, status & 0x7F == 0 else { return nil }
        return (status >> 8) & 0xFF
    }

    /// User and system CPU time so far, in seconds; 0 once the process is reaped.
    public var cpuSeconds: Double {
        ProcessResources.cpuSeconds(of: processIdentifier)
    }

    /// Peak resident set size in bytes; 0 once the process is reaped.
    public var peakResidentBytes: Int {
        ProcessResources.peakResidentBytes(of: processIdentifier)
    }

    // MARK: Signals

    /// Sends `signal` while the process runs; does nothing once it has exited.
    public func send(_ signal: Int32) {
        if isRunning {
            Glibc.kill(processIdentifier, signal)
        }
    }

    /// Sends SIGKILL and waits for the process to end. Does nothing once it has exited.
    public func kill() {
        guard isRunning else { return }
        Glibc.kill(processIdentifier, SIGKILL)
        var status: Int32 = 0
        waitpid(processIdentifier, &status, 0)
        waitStatus = status
    }

    /// Sends SIGTERM, checks every `pollInterval` seconds for up to `gracePeriod` seconds
    /// whether the process exited, and kills it if it still runs after that.
    ///
    /// - Returns: `true` when the process exited before the grace period ended (or had
    ///   already exited), `false` when it had to be killed.
    @discardableResult
    public func terminate(gracePeriod: Double, pollInterval: Double = 0.02) -> Bool {
        guard isRunning else { return true }
        Glibc.kill(processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(gracePeriod)
        while isRunning, Date() < deadline {
            usleep(useconds_t(pollInterval * 1_000_000))
        }
        guard isRunning else { return true }
        kill()
        return false
    }

    // MARK: Spawning

    private static func spawn(
        _ executable: String,
        arguments: [String],
        environment: [String]?,
        standardOutputPath: String,
        standardError: StandardError
    ) throws -> pid_t {
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
        posix_spawn_file_actions_addopen(&fileActions, STDOUT_FILENO, standardOutputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        switch standardError {
        case .file(let path):
            posix_spawn_file_actions_addopen(&fileActions, STDERR_FILENO, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        case .standardOutput:
            posix_spawn_file_actions_adddup2(&fileActions, STDOUT_FILENO, STDERR_FILENO)
        }

        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var processIdentifier: pid_t = 0
        let result: Int32
        if envp != nil {
            result = posix_spawnp(&processIdentifier, executable, &fileActions, &attributes, &argv, &envp!)
        } else {
            result = posix_spawnp(&processIdentifier, executable, &fileActions, &attributes, &argv, environ)
        }
        guard result == 0 else {
            throw LocalProcessError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return processIdentifier
    }
}

// MARK: - Log files

/// Reads the files that child processes write their output to.
public enum LogFile {
    /// Returns the last `maxBytes` bytes of the file at `url` as UTF-8 (invalid sequences
    /// replaced), or `nil` when the file cannot be read.
    public static func tail(of url: URL, maxBytes: Int) -> String? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return String(decoding: data.suffix(maxBytes), as: UTF8.self)
    }
}
