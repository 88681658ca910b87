import Foundation

// MARK: - Output

/// A file descriptor that log lines are written to, one whole line per `write(2)` sequence.
///
/// A lock serializes writers, so lines from concurrent threads never interleave, even when a
/// line is longer than `PIPE_BUF` and the kernel accepts it in several parts.
public final class LogOutput: Sendable {
    /// Standard error, the default destination of log lines.
    public static let standardError = LogOutput(fileDescriptor: STDERR_FILENO)
    public static let standardOutput = LogOutput(fileDescriptor: STDOUT_FILENO)

    public let fileDescriptor: Int32
    private let lock = Locked(())

    /// Wraps an open file descriptor. The caller keeps ownership and closes it.
    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    /// Writes `line` and a newline.
    ///
    /// A write error such as a closed pipe drops the rest of the line, because a logger
    /// has nowhere left to report its own failure.
    public func writeLine(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        lock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                writeAll(buffer)
            }
        }
    }

    private func writeAll(_ buffer: UnsafeRawBufferPointer) {
        guard var pointer = buffer.baseAddress else { return }
        var remaining = buffer.count
        while remaining > 0 {
            let written = write(fileDescriptor, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            pointer += written
            remaining -= written
        }
    }
}

// MARK: - Stream handler

/// The default handler: formats each entry as one line and writes it to a ``LogOutput``.
public struct StreamLogHandler: LogHandler {
    public let format: LogFormat
    public let output: LogOutput

    public init(format: LogFormat = .json, output: LogOutput = .standardError) {
        self.format = format
        self.output = output
    }

    public func log(_ entry: LogEntry) {
        output.writeLine(format.render(entry))
    }
}

// MARK: - Recording handler

/// A handler that stores entries in memory, for tests that assert on what was logged.
public final class RecordingLogHandler: LogHandler {
    private let storage = Locked<[LogEntry]>([])

    public init() {}

    public func log(_ entry: LogEntry) {
        storage.withLock { $0.append(entry) }
    }

    /// Entries recorded so far, oldest first.
    public var entries: [LogEntry] {
        storage.withLock { $0 }
    }

    /// Messages recorded so far, oldest first.
    public var messages: [String] {
        entries.map(\.message)
    }

    public func removeAll() {
        storage.withLock { $0.removeAll() }
    }
}
