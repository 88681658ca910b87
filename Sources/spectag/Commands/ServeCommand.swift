import Foundation
import SpecTagAlerts
import SpecTagArguments
import SpecTagLogging
import SpecTagMetrics
import SpecTagModels
import SpecTagSpeculation
import SpecTagStreaming

/// `spectag serve`: the streaming service. Reads news from Kafka, tags it and writes tagged
/// records, entity sentiment and dead letters; with role `all` it also runs the alert stage.
struct ServeCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "serve",
            abstract: "Tag news from a Kafka topic; write tagged news, entity sentiment, dead letters and alerts.",
            discussion: """
                Reads JSON news messages (id, headline and/or body, optional source, published_at, \
                tickers, lang) from the input topic, tags them in micro-batches and writes one tagged \
                record per message (key: the message id) and one entity-sentiment record per entity \
                mention (key: the normalized entity name). Messages that are not valid UTF-8 or JSON, \
                break the input schema, have no text, exceed max_message_bytes or fail in the tagger go \
                to the dead-letter topic with the reason. schemas/ describes every record.

                An input offset is committed only after every output of its message has a delivery \
                report, so nothing is lost; with at_least_once a crash can repeat outputs, with \
                exactly_once each batch's outputs and offsets commit in one Kafka transaction.

                Settings come from, in increasing precedence: the defaults below, the JSON file of \
                --config (keys are the option names with _ instead of -, plus "kafka_properties" and \
                the alert stage's "alerts" object), SPECTAG_* environment variables, and flags. \
                docs/configuration.md lists every setting.

                SIGTERM or SIGINT stops reading, finishes and delivers the messages in flight, commits, \
                leaves the consumer group and exits with status 0; a second signal exits at once with \
                status 1. Outputs that still fail after delivery_give_up_ms stop the service with \
                status 1, leaving their offsets uncommitted for the restarted process. Metrics are \
                served on metrics_address at /metrics, with /healthz and /readyz (ready once \
                partitions are assigned and the model is loaded). Logs are JSON lines on standard \
                error; secret Kafka properties are never logged.
                """
        )
    }

    static var options: [OptionSpec] {
        var specs: [OptionSpec] = [
            .option("config", valueName: "file", help: "JSON configuration file.", environment: ServiceConfigurationLoader.configFileVariable),
        ]
        for setting in ServiceSettings.all {
            if setting.isBoolean {
                specs.append(.flag(
                    setting.flag, help: setting.help, default: setting.defaultDescription == "true",
                    invertible: true, environment: setting.environmentVariable
                ))
            } else {
                specs.append(.option(
                    setting.flag, valueName: setting.valueName, help: setting.help,
                    default: setting.defaultDescription, environment: setting.environmentVariable
                ))
            }
        }
        specs.append(.repeated(
            "kafka-property", short: "X", valueName: "key=value",
            help: "librdkafka property for every Kafka client, such as -X security.protocol=SASL_SSL; applied last. In the environment, separate several with ';'.",
            environment: ServiceConfigurationLoader.kafkaPropertiesVariable, environmentSeparator: ";"
        ))
        return specs
    }

    let serviceConfiguration: ServiceConfiguration

    init(_ arguments: ParsedArguments) throws {
        let configFile = try arguments.source(of: "config") == .commandLine ? arguments.text("config") : nil
        var flags: [String: String] = [:]
        for setting in ServiceSettings.all where try arguments.source(of: setting.flag) == .commandLine {
            flags[setting.key] = try arguments.text(setting.flag)
        }
        let kafkaProperties = try arguments.source(of: "kafka-property") == .commandLine
            ? try arguments.values("kafka-property", as: String.self)
            : []
        let configuration = try ServiceConfigurationLoader.load(
            configFile: configFile,
            environment: ProcessInfo.processInfo.environment,
            flags: flags,
            kafkaPropertyFlags: kafkaProperties
        )
        guard DrafterFactory.names.contains(configuration.drafter) else {
            throw UsageError("drafter must be one of \(DrafterFactory.names.joined(separator: ", ")); got '\(configuration.drafter)'")
        }
        serviceConfiguration = configuration
    }

    func run() async throws {
        let configuration = serviceConfiguration
        let logger = Logger(label: "spectag.serve")
        let registry = MetricsRegistry()
        let taggerReadiness = ReadinessFlag(.notReady("loading the model"))
        let alertReadiness = ReadinessFlag(.notReady("starting the alert stage"))
        let readiness = Self.combinedReadiness(
            tagger: configuration.role == .alerts ? nil : taggerReadiness,
            alerts: configuration.role == .tagger ? nil : alertReadiness
        )
        let server = MetricsServer(
            registry: registry,
            configuration: try MetricsServerConfiguration(address: configuration.metricsAddress),
            readiness: readiness
        )
        try server.start()
        defer { server.stop() }

        let shutdown = ShutdownRequest()
        let stages = try makeStages(configuration, registry: registry, taggerReadiness: taggerReadiness, alertReadiness: alertReadiness, shutdown: shutdown, logger: logger)
        let signals = ShutdownSignals(logger: logger) { _ in
            shutdown.request()
            stages.alerts?.shutdown()
        }
        defer { withExtendedLifetime(signals) {} }
        try await runStages(stages, shutdown: shutdown)
    }

    // MARK: Stages

    private struct Stages: Sendable {
        var tagger: StreamingService?
        var alerts: AlertStage?
    }

    private func makeStages(
        _ configuration: ServiceConfiguration,
        registry: MetricsRegistry,
        taggerReadiness: ReadinessFlag,
        alertReadiness: ReadinessFlag,
        shutdown: ShutdownRequest,
        logger: Logger
    ) throws -> Stages {
        var stages = Stages()
        if configuration.role != .alerts {
            let tagger = try loadTagger(configuration, logger: logger)
            stages.tagger = try StreamingService(
                configuration: configuration,
                tagger: tagger,
                metrics: ServiceMetrics(registry: registry),
                readiness: taggerReadiness,
                shutdown: shutdown,
                logger: logger
            )
        }
        if configuration.role != .tagger {
            stages.alerts = try AlertStage(
                configuration: configuration.alertStageConfiguration(),
                metrics: registry,
                readiness: alertReadiness
            )
        }
        return stages
    }

    /// Runs the tagger and the alert stage side by side. When one stops with an error, the
    /// other is shut down too, and the first error is thrown.
    private func runStages(_ stages: Stages, shutdown: ShutdownRequest) async throws {
        if let tagger = stages.tagger, stages.alerts != nil {
            // The alert stage requires the entity-sentiment topic, which the tagger creates.
            try await tagger.createTopicsIfConfigured()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let tagger = stages.tagger {
                group.addTask {
                    do {
                        try await tagger.run()
                    } catch {
                        stages.alerts?.shutdown()
                        throw error
                    }
                }
            }
            if let alerts = stages.alerts {
                group.addTask {
                    do {
                        try await alerts.run()
                    } catch {
                        shutdown.request()
                        throw error
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private static func combinedReadiness(tagger: ReadinessFlag?, alerts: ReadinessFlag?) -> @Sendable () -> Readiness {
        {
            for flag in [tagger, alerts].compactMap({ $0 }) {
                if case .notReady(let reason) = flag.current() {
                    return .notReady(reason)
                }
            }
            return .ready
        }
    }

    // MARK: Model

    private func loadTagger(_ configuration: ServiceConfiguration, logger: Logger) throws -> TextTagger {
        guard let folder = ModelLocator.resolve(configuration.modelPath, relativePath: ModelLocator.defaultModelName) else {
            throw CLIError("no model folder found: set model (--model DIR or SPECTAG_MODEL); the default is models/\(ModelLocator.defaultModelName) in the repository")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let model = try TargetModel(folder: folder)
        let drafter = try DrafterFactory.make(configuration.drafter, model: model, lexicalPath: configuration.lexicalDrafterPath)
        let tagger = TextTagger(model: model, drafter: drafter, maximumDraft: configuration.maxDraft, batchSize: configuration.taggerBatchSize)
        logger.info("model loaded", [
            "model": .string(model.name),
            "folder": .string(folder.path),
            "drafter": .string(tagger.drafterName),
            "load_seconds": .double(Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)),
        ])
        return tagger
    }
}
