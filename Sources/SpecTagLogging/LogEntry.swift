import Foundation

// MARK: - Log entry

/// One log event as a ``LogHandler`` receives it.
public struct LogEntry: Sendable, Equatable {
    /// Wall-clock time at which the entry was made.
    public var timestamp: Date
    public var level: LogLevel
    /// Label of the logger that made the entry, for example `spectag.serve`.
    public var label: String
    public var message: String
    /// The logger's metadata merged with the call's metadata; the call's values win.
    public var metadata: LogMetadata
    /// Source location of the logging call.
    public var file: String
    public var line: UInt

    public init(
        timestamp: Date,
        level: LogLevel,
        label: String,
        message: String,
        metadata: LogMetadata = [:],
        file: String = "",
        line: UInt = 0
    ) {
        self.timestamp = timestamp
        self.level = level
        self.label = label
        self.message = message
        self.metadata = metadata
        self.file = file
        self.line = line
    }
}

// MARK: - Handler protocol

/// A logging backend: receives every entry at or above the active level and writes or stores it.
///
/// - Important: `log(_:)` may be called from many threads at once, so an implementation
///   must serialize its own output.
public protocol LogHandler: Sendable {
    func log(_ entry: LogEntry)
}
