import SpecTagLogging

// MARK: - Logging

/// Logger of the Kafka client layer. Every log line of this module goes through it,
/// so a change of logging backend is an edit of this file only.
let kafkaLogger = Logger(label: "spectag.kafka")

/// Maps a syslog severity, as librdkafka's log callback passes it (0 = emergency,
/// 7 = debug), to a ``LogLevel``.
func logLevel(forSyslogLevel level: Int32) -> LogLevel {
    switch level {
    case ...2: .critical
    case 3: .error
    case 4: .warning
    case 5: .notice
    case 6: .info
    default: .debug
    }
}
