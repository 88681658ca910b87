import Foundation

// MARK: - Global configuration

/// The process-wide handler and minimum level used by every `Logger(label:)`.
///
/// Until `bootstrap` is called, entries at `info` and above go to standard error as JSON lines.
/// Call `bootstrap` once early in `main`; a later call replaces the configuration for all
/// loggers, including those already made.
public enum LoggingSystem {
    /// Environment variable that sets the level: `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`.
    public static let levelVariable = "SPECTAG_LOG_LEVEL"
    /// Environment variable that sets the line format: `json` or `text`.
    public static let formatVariable = "SPECTAG_LOG_FORMAT"

    private struct State {
        var handler: any LogHandler
        var level: LogLevel
    }

    private static let state = Locked(State(handler: StreamLogHandler(), level: .info))

    /// Writes `format` lines to standard error for entries at `level` or above.
    public static func bootstrap(level: LogLevel = .info, format: LogFormat = .json) {
        bootstrap(handler: StreamLogHandler(format: format, output: .standardError), level: level)
    }

    /// Sends entries at `level` or above to `handler`.
    public static func bootstrap(handler: any LogHandler, level: LogLevel) {
        state.withLock { $0 = State(handler: handler, level: level) }
    }

    /// Bootstraps from `SPECTAG_LOG_LEVEL` and `SPECTAG_LOG_FORMAT`, using the defaults for
    /// variables that are unset or empty.
    ///
    /// - Throws: ``LoggingConfigurationError`` naming the variable when a value is invalid.
    ///   The configuration is unchanged in that case.
    public static func bootstrapFromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        defaultLevel: LogLevel = .info,
        defaultFormat: LogFormat = .json
    ) throws {
        let level = try parseVariable(levelVariable, in: environment, default: defaultLevel) {
            LogLevel(parsing: $0)
        }
        let format = try parseVariable(formatVariable, in: environment, default: defaultFormat) {
            LogFormat(rawValue: $0.trimmingWhitespace().lowercased())
        }
        bootstrap(level: level, format: format)
    }

    /// Minimum level currently written by loggers that follow the global configuration.
    public static var level: LogLevel {
        state.withLock { $0.level }
    }

    static var current: (any LogHandler, LogLevel) {
        state.withLock { ($0.handler, $0.level) }
    }

    private static func parseVariable<Value: RawRepresentable & CaseIterable>(
        _ name: String,
        in environment: [String: String],
        default defaultValue: Value,
        parse: (String) -> Value?
    ) throws -> Value where Value.RawValue == String {
        guard let text = environment[name], !text.trimmingWhitespace().isEmpty else {
            return defaultValue
        }
        guard let value = parse(text) else {
            throw LoggingConfigurationError(
                variable: name,
                value: text,
                allowedValues: Value.allCases.map(\.rawValue)
            )
        }
        return value
    }
}

/// An invalid logging setting in the environment.
public struct LoggingConfigurationError: Error, Equatable, CustomStringConvertible {
    public let variable: String
    public let value: String
    public let allowedValues: [String]

    public var description: String {
        "\(variable): '\(value)' is not valid; use one of \(allowedValues.joined(separator: ", "))"
    }
}
