import Foundation
import SpecTagAlerts
import SpecTagArguments
import SpecTagKafka
import SpecTagLogging
import SpecTagMetrics
import SpecTagStreaming

/// `spectag alerts`: runs the alert stage alone, without the tagger.
struct AlertsCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "alerts",
            abstract: "Turn the entity-sentiment topic into alerts (the alert stage alone, without the tagger).",
            discussion: """
                Reads entity-sentiment records in a consumer group, keeps sliding windows of mentions \
                and sentiment per entity, and sends an alert keyed by entity when a rule fires: \
                negative_share, volume_spike or sentiment_swing. Each entity's windows and last alert \
                times are written to a compacted changelog topic before offsets are committed and are \
                restored at start, so a restart neither loses nor repeats an alert. docs/alerts.md \
                describes the rules, their defaults and the delivery guarantees.

                --config reads the alert settings from a JSON file: either the alert settings \
                themselves or a service configuration with an "alerts" object. Flags override the \
                file's topics and group.

                SIGTERM or SIGINT finishes the current batch, commits, leaves the group and exits \
                with status 0. Metrics are served at /metrics on --metrics-address.
                """
        )
    }

    static var options: [OptionSpec] {
        AlertCommandKafkaOptions.specs + [
            .option("config", valueName: "file", help: "JSON file with the alert settings, or a service configuration with an \"alerts\" object."),
            .option("entity-topic", valueName: "topic", help: "Entity-sentiment input topic. (default: news.entity-sentiment, or the --config file's)"),
            .option("alerts-topic", valueName: "topic", help: "Alerts output topic. (default: news.alerts, or the --config file's)"),
            .option("changelog-topic", valueName: "topic", help: "Compacted topic with each entity's state. (default: news.alerts.changelog, or the --config file's)"),
            .option("group", valueName: "id", help: "Consumer group of the input topic. (default: spectag-alerts, or the --config file's)"),
            .option("metrics-address", valueName: "host:port", help: "Address of the /metrics, /healthz and /readyz endpoint; port 0 picks a free port.", default: "127.0.0.1:9464"),
        ]
    }

    let kafka: AlertCommandKafkaOptions
    let alerts: AlertConfiguration
    let metricsAddress: MetricsServerConfiguration

    init(_ arguments: ParsedArguments) throws {
        kafka = try AlertCommandKafkaOptions(arguments)
        var alerts = AlertConfiguration()
        if let path: String = try arguments.value("config") {
            alerts = try AlertConfiguration.load(contentsOf: URL(fileURLWithPath: path))
        }
        if let topic: String = try arguments.value("entity-topic") { alerts.topics.entitySentiment = topic }
        if let topic: String = try arguments.value("alerts-topic") { alerts.topics.alerts = topic }
        if let topic: String = try arguments.value("changelog-topic") { alerts.topics.changelog = topic }
        if let group: String = try arguments.value("group") { alerts.groupID = group }
        do {
            try alerts.validate()
        } catch let error as AlertConfigurationError {
            throw UsageError(error.description)
        }
        self.alerts = alerts
        do {
            metricsAddress = try MetricsServerConfiguration(address: arguments.required("metrics-address"))
        } catch let error as MetricsServerError {
            throw UsageError("--metrics-address: \(error)")
        }
    }

    func run() async throws {
        let logger = Logger(label: "spectag.alerts")
        let registry = MetricsRegistry()
        let readiness = ReadinessFlag(.notReady("starting the alert stage"))
        let server = MetricsServer(registry: registry, configuration: metricsAddress, readiness: readiness.current)
        try server.start()
        defer { server.stop() }

        let configuration = AlertStageConfiguration(bootstrapServers: kafka.brokers, alerts: alerts, kafkaProperties: kafka.properties)
        let stage = try AlertStage(configuration: configuration, metrics: registry, readiness: readiness, logger: logger)
        let signals = try AlertCommandSignals(logger: logger) { stage.shutdown() }
        defer { withExtendedLifetime(signals) {} }
        try await stage.run()
    }
}

// MARK: - Shared Kafka options

/// `--brokers` and `-X key=value`, shared by `spectag alerts` and `spectag monitor`.
struct AlertCommandKafkaOptions {
    static let specs: [OptionSpec] = [
        .option("brokers", short: "b", valueName: "host:port,...", help: "Kafka bootstrap servers.", default: "127.0.0.1:9092", environment: "SPECTAG_BROKERS"),
        .repeated("kafka-property", short: "X", valueName: "key=value", help: "librdkafka property for every Kafka client, such as -X security.protocol=SASL_SSL; applied last."),
    ]

    let brokers: [String]
    let properties: KafkaProperties

    init(_ arguments: ParsedArguments) throws {
        brokers = try arguments.required("brokers", as: String.self)
            .split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !brokers.isEmpty else { throw UsageError("--brokers: expected host:port items separated by commas") }
        var properties = KafkaProperties()
        for override in try arguments.values("kafka-property", as: String.self) {
            do {
                try properties.applyOverride(override)
            } catch {
                throw UsageError("-X \(override): \(error)")
            }
        }
        self.properties = properties
    }
}

// MARK: - Signals

/// Calls a handler on the first SIGTERM or SIGINT and exits with status 1 on the second,
/// for as long as the object lives. Used by `spectag alerts` and `spectag monitor`.
///
/// The C signal handler, installed with `signal(2)`, only writes the signal number to a
/// pipe (the self-pipe pattern), and a thread of its own reads the pipe and runs the
/// handler. Dispatch signal sources are not used because they failed in one case: in a
/// process that a non-interactive shell started in the background (with SIGINT ignored),
/// neither SIGINT nor SIGTERM ran the source's handler.
///
/// - Important: only one instance may exist at a time, because the handlers share one pipe.
final class AlertCommandSignals {
    /// The write end of the pipe, read by the C signal handler, which cannot capture context.
    nonisolated(unsafe) private static var writeDescriptor: Int32 = -1
    private static let signals: [(number: Int32, name: String)] = [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")]

    /// - Throws: `POSIXError` when the pipe cannot be created.
    init(logger: Logger, onFirstSignal: @escaping @Sendable () -> Void) throws {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let readDescriptor = descriptors[0]
        Self.writeDescriptor = descriptors[1]
        for entry in Self.signals {
            signal(entry.number) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(AlertCommandSignals.writeDescriptor, &byte, 1)
            }
        }

        let names = Dictionary(uniqueKeysWithValues: Self.signals.map { ($0.number, $0.name) })
        let thread = Thread {
            var received = 0
            var byte: UInt8 = 0
            while read(readDescriptor, &byte, 1) == 1 {
                received += 1
                let name = names[Int32(byte)] ?? "signal \(byte)"
                if received == 1 {
                    logger.info("shutdown requested; finishing the current batch", ["signal": .string(name)])
                    onFirstSignal()
                } else {
                    logger.warning("second signal; exiting without finishing", ["signal": .string(name)])
                    ShutdownSignals.exitNow()
                }
            }
            close(readDescriptor)
        }
        thread.name = "spectag-signals"
        thread.start()
    }

    /// Restores the default signal actions and ends the reading thread.
    deinit {
        for entry in Self.signals {
            signal(entry.number, SIG_DFL)
        }
        close(Self.writeDescriptor)
        Self.writeDescriptor = -1
    }
}
