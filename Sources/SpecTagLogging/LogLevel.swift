// MARK: - Log level

/// Severity of a log entry, from the most verbose (`trace`) to the most severe (`critical`).
///
/// The levels and their names follow syslog and swift-log, so `SPECTAG_LOG_LEVEL=notice`
/// means the same here as elsewhere.
public enum LogLevel: String, CaseIterable, Comparable, Sendable {
    case trace
    case debug
    case info
    case notice
    case warning
    case error
    case critical

    /// Parses a level name, ignoring case and surrounding white space (`"Warning"`, `" info "`).
    ///
    /// Returns `nil` for an unknown name. `"warn"` is accepted as an alias of `warning`.
    public init?(parsing text: String) {
        let name = text.trimmingWhitespace().lowercased()
        if name == "warn" {
            self = .warning
            return
        }
        self.init(rawValue: name)
    }

    /// Position in the ordering, `trace` being 0.
    var severity: Int {
        switch self {
        case .trace: 0
        case .debug: 1
        case .info: 2
        case .notice: 3
        case .warning: 4
        case .error: 5
        case .critical: 6
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.severity < rhs.severity
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
