import Foundation
import SpecTagLocalProcess
#if canImport(Glibc)
import Glibc
#endif

// MARK: - A child process of the benchmark

/// A child process of `spectag bench pipeline` (a `spectag serve` instance or the Python
/// baseline), with its standard output and standard error in files and its CPU time and peak
/// memory read from `/proc`.
///
/// The child is a ``ChildProcess``: started with an empty signal mask so that SIGTERM reaches
/// it whatever the calling thread blocks, and killed when this object goes away.
final class BenchChildProcess {
    let name: String
    /// The child's standard error.
    let logURL: URL
    /// The child's standard output, or `nil` when it goes to /dev/null.
    let outputURL: URL?
    private let process: ChildProcess

    /// Starts `executable` (looked up on PATH without a slash) with `arguments` and exactly
    /// `environment`.
    ///
    /// - Parameter keepOutput: writes standard output to a temporary file instead of /dev/null.
    /// - Throws: ``LocalProcessError`` when the process cannot start.
    init(executable: String, arguments: [String], environment: [String: String], name: String, keepOutput: Bool = false) throws {
        self.name = name
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).log")
        outputURL = keepOutput ? FileManager.default.temporaryDirectory.appendingPathComponent("\(name).out") : nil
        process = try ChildProcess(
            executable: executable,
            arguments: arguments,
            environment: environment,
            standardOutputPath: outputURL?.path ?? "/dev/null",
            standardError: .file(path: logURL.path)
        )
    }

    // MARK: State

    var isRunning: Bool { process.isRunning }

    /// User and system CPU time so far, in seconds, from `/proc/<pid>/stat`; 0 once the process is gone.
    var cpuSeconds: Double { process.cpuSeconds }

    /// Peak resident set size (`VmHWM` of `/proc/<pid>/status`) in bytes; 0 once the process is gone.
    var peakResidentBytes: Int { process.peakResidentBytes }

    func logTail(maxBytes: Int = 2000) -> String {
        LogFile.tail(of: logURL, maxBytes: maxBytes) ?? "(no log at \(logURL.path))"
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
        for process in processes {
            process.process.send(SIGTERM)
        }
        let deadline = Date().addingTimeInterval(gracePeriod)
        while processes.contains(where: \.isRunning), Date() < deadline {
            usleep(20_000)
        }
        for process in processes {
            if process.isRunning {
                process.process.kill()
                FileHandle.standardError.write(Data("bench: \(process.name) ignored SIGTERM for \(Int(gracePeriod)) s and was killed; log: \(process.logURL.path)\n".utf8))
            } else if process.process.waitStatus == 0 {
                try? FileManager.default.removeItem(at: process.logURL)
                if let outputURL = process.outputURL {
                    try? FileManager.default.removeItem(at: outputURL)
                }
            }
        }
    }
}
