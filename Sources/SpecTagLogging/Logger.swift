import Foundation

// MARK: - Logger

/// The front type that code logs through, identified by a label such as `spectag.serve`.
///
/// ```swift
/// let logger = Logger(label: "spectag.serve")
/// logger.info("consumer started", ["topic": "news", "partitions": 6])
/// ```
///
/// A logger made with `Logger(label:)` follows ``LoggingSystem``: it uses the handler and level
/// that are bootstrapped at the time of each call, so a logger stored in a static property
/// before `LoggingSystem.bootstrap` still obeys it. A logger made with an explicit handler
/// ignores the global configuration, which is what tests use.
public struct Logger: Sendable {
    public let label: String
    /// Metadata added to every entry of this logger. A call's own metadata wins on equal keys.
    public var metadata: LogMetadata

    private let handler: (any LogHandler)?
    private let fixedLevel: LogLevel?

    /// Makes a logger that follows the global ``LoggingSystem`` configuration.
    public init(label: String, metadata: LogMetadata = [:]) {
        self.label = label
        self.metadata = metadata
        self.handler = nil
        self.fixedLevel = nil
    }

    /// Makes a logger bound to `handler` that logs entries at `level` or above,
    /// independent of ``LoggingSystem``.
    public init(label: String, handler: any LogHandler, level: LogLevel = .trace, metadata: LogMetadata = [:]) {
        self.label = label
        self.metadata = metadata
        self.handler = handler
        self.fixedLevel = level
    }

    /// Minimum level that this logger currently writes.
    public var level: LogLevel {
        fixedLevel ?? LoggingSystem.level
    }

    /// Returns whether an entry at `level` would be written; use it to skip costly metadata.
    public func isEnabled(_ level: LogLevel) -> Bool {
        level >= self.level
    }

    /// Returns a copy of this logger with `metadata` added to its own.
    public func with(_ metadata: LogMetadata) -> Logger {
        var copy = self
        copy.metadata.merge(metadata) { _, new in new }
        return copy
    }

    // MARK: Logging

    /// Writes `message` at `level` if the level is enabled.
    ///
    /// The message is an autoclosure, so building it costs nothing when the level is disabled.
    public func log(
        level: LogLevel,
        _ message: @autoclosure () -> String,
        _ metadata: @autoclosure () -> LogMetadata = [:],
        file: String = #fileID,
        line: UInt = #line
    ) {
        let activeHandler: any LogHandler
        let activeLevel: LogLevel
        if let handler, let fixedLevel {
            activeHandler = handler
            activeLevel = fixedLevel
        } else {
            (activeHandler, activeLevel) = LoggingSystem.current
        }
        guard level >= activeLevel else { return }

        var merged = self.metadata
        merged.merge(metadata()) { _, new in new }
        let entry = LogEntry(
            timestamp: Date(),
            level: level,
            label: label,
            message: message(),
            metadata: merged,
            file: file,
            line: line
        )
        activeHandler.log(entry)
    }

    public func trace(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:],
                      file: String = #fileID, line: UInt = #line) {
        log(level: .trace, message(), metadata(), file: file, line: line)
    }

    public func debug(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:],
                      file: String = #fileID, line: UInt = #line) {
        log(level: .debug, message(), metadata(), file: file, line: line)
    }

    public func info(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:],
                     file: String = #fileID, line: UInt = #line) {
        log(level: .info, message(), metadata(), file: file, line: line)
    }

    public func notice(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:],
                       file: String = #fileID, line: UInt = #line) {
        log(level: .notice, message(), metadata(), file: file, line: line)
    }

    public func warning(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:],
                        file: String = #fileID, line: UInt = #line) {
        log(level: .warning, message(), metadata(), file: file, line: line)
    }

    public func error(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:],
                      file: String = #fileID, line: UInt = #line) {
        log(level: .error, message(), metadata(), file: file, line: line)
    }

    public func critical(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:],
                         file: String = #fileID, line: UInt = #line) {
        log(level: .critical, message(), metadata(), file: file, line: line)
    }
}
