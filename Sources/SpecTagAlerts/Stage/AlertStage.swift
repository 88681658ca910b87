import Foundation
import SpecTagKafka
import SpecTagLogging
import SpecTagMetrics

// MARK: - Alert stage

/// Turns the entity-sentiment topic into alerts: reads it in a consumer group, keeps each
/// entity's sliding windows, evaluates the rules and sends alerts keyed by entity key.
///
/// ```swift
/// let stage = try AlertStage(configuration: AlertStageConfiguration(bootstrapServers: ["127.0.0.1:9092"]),
///                            metrics: registry)
/// let running = Task { try await stage.run() }
/// // on SIGTERM:
/// stage.shutdown()
/// try await running.value
/// ```
///
/// Delivery: the stage counts a batch of records in memory, then sends the batch's alerts,
/// dead letters and changed entity states (to the changelog topic) and waits for their
/// acknowledgements. Only then does it store the batch's offsets, which it commits every
/// ``AlertConfiguration/commitInterval``. After a restart or rebalance the stage restores
/// each partition's entity states from the changelog, and skips records that the restored
/// state already counts, so an alert that was due is sent and an alert already sent is not
/// sent again.
///
/// - Important: if the process dies after an alert was acknowledged but before the
///   entity's state was, the restarted stage sends that alert again, with the same
///   ``AlertRecord/alertID``. Consumers of the alerts topic should drop repeated ids.
public final class AlertStage: Sendable {
    public let configuration: AlertStageConfiguration
    private let metrics: AlertMetrics
    private let logger: Logger
    private let clock: any AlertClock
    private let readiness: ReadinessFlag?
    private let lifecycle = Locked(Lifecycle.created)

    private enum Lifecycle {
        case created
        /// ``shutdown()`` was called before ``run()``.
        case cancelledBeforeStart
        case running
        case stopping
        case finished
    }

    /// Validates the configuration and registers the metrics. It does not connect.
    ///
    /// - Parameters:
    ///   - metrics: the registry that receives the `spectag_alert*` metrics.
    ///   - readiness: marked ready once the stage has joined its group, and not ready when
    ///     it stops; `nil` to leave readiness to the caller.
    ///   - clock: the wall clock; see ``AlertClock``.
    /// - Throws: ``AlertConfigurationError`` for invalid settings, ``MetricsError`` when the
    ///   registry has a conflicting metric.
    public init(
        configuration: AlertStageConfiguration,
        metrics: MetricsRegistry,
        readiness: ReadinessFlag? = nil,
        logger: Logger = Logger(label: "spectag.alerts"),
        clock: any AlertClock = SystemAlertClock()
    ) throws {
        try configuration.alerts.validate()
        self.configuration = configuration
        self.metrics = try AlertMetrics(registry: metrics)
        self.readiness = readiness
        self.logger = logger
        self.clock = clock
    }

    // MARK: Running

    /// Runs until ``shutdown()``: checks and creates topics, joins the group, and processes
    /// records. After a shutdown it finishes the current batch, commits its offsets, leaves
    /// the group and returns.
    ///
    /// - Throws: ``AlertStageError`` when the input topic is missing, the changelog topic has
    ///   too few partitions, restoring state times out, or an output cannot be delivered.
    ///   ``KafkaError`` when a client cannot be created or the consumer fails fatally. The
    ///   offsets of unfinished records are not committed, so a new stage in the same group
    ///   processes them again. Calling `run` twice throws ``AlertStageError/alreadyStarted``.
    public func run() async throws {
        let previous = lifecycle.withLock { state -> Lifecycle in
            defer { state = state == .created ? .running : state }
            return state
        }
        if previous == .cancelledBeforeStart {
            lifecycle.withLock { $0 = .finished }
            return
        }
        guard previous == .created else { throw AlertStageError.alreadyStarted }
        defer {
            lifecycle.withLock { $0 = .finished }
            readiness?.markNotReady("alert stage stopped")
        }

        let inputPartitions = try await prepareTopics()
        let pipeline = try AlertPipeline(
            configuration: configuration, metrics: metrics, logger: logger, clock: clock
        )
        logger.info(
            "alert stage starting",
            [
                "group": .string(configuration.alerts.groupID),
                "input": .string(configuration.alerts.topics.entitySentiment),
                "input_partitions": .int(inputPartitions),
                "alerts": .string(configuration.alerts.topics.alerts),
                "changelog": .string(configuration.alerts.topics.changelog),
            ]
        )
        try await pipeline.run(
            onSubscribed: { [readiness] in readiness?.markReady() },
            isStopping: { [lifecycle] in lifecycle.withLock { $0 == .stopping } }
        )
        logger.info("alert stage stopped", ["group": .string(configuration.alerts.groupID)])
    }

    /// Asks ``run()`` to finish its current batch and return, and returns at once. Called
    /// before `run`, it makes `run` return without connecting. Calling it again does nothing.
    public func shutdown() {
        lifecycle.withLock { state in
            switch state {
            case .created: state = .cancelledBeforeStart
            case .running: state = .stopping
            case .cancelledBeforeStart, .stopping, .finished: break
            }
        }
    }

    // MARK: Topics

    /// Checks the input topic and creates the stage's own topics when configured to.
    ///
    /// - Returns: the number of input partitions.
    private func prepareTopics() async throws -> Int {
        let topics = configuration.alerts.topics
        let admin = try KafkaAdminClient(configuration: configuration.adminConfiguration())
        let inputPartitions: Int
        do {
            inputPartitions = try await admin.partitionCount(topic: topics.entitySentiment)
        } catch let error as KafkaError where error.name == "UNKNOWN_TOPIC_OR_PART" {
            throw AlertStageError.inputTopicNotFound(topic: topics.entitySentiment, brokers: configuration.bootstrapServers)
        }

        if configuration.alerts.createTopics {
            let count = Int32(clamping: inputPartitions)
            let replication = configuration.replicationFactor
            var newTopics = [
                KafkaNewTopic(name: topics.changelog, partitionCount: count, replicationFactor: replication,
                              configs: ["cleanup.policy": "compact"]),
                KafkaNewTopic(name: topics.alerts, partitionCount: count, replicationFactor: replication),
            ]
            if let deadLetter = topics.deadLetter {
                newTopics.append(KafkaNewTopic(name: deadLetter, partitionCount: count, replicationFactor: replication))
            }
            try await admin.createTopics(newTopics, ignoreExisting: true)
        }

        let changelogPartitions = try await admin.partitionCount(topic: topics.changelog)
        guard changelogPartitions >= inputPartitions else {
            throw AlertStageError.changelogTooSmall(
                changelog: topics.changelog, changelogPartitions: changelogPartitions,
                input: topics.entitySentiment, inputPartitions: inputPartitions
            )
        }
        return inputPartitions
    }
}
