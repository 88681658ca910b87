import Foundation
import SpecTagKafka
import SpecTagLogging

// MARK: - Pipeline

/// The consume-count-produce loop of one ``AlertStage/run()``. One task owns it.
final class AlertPipeline {
    /// The maximum number of records in one batch, whose outputs are delivered together.
    static let maxBatchSize = 500
    /// The maximum time a batch collects records before its outputs are sent.
    static let maxBatchDuration: Duration = .milliseconds(200)
    /// How often idle entities are looked for.
    static let evictionInterval: Duration = .seconds(10)

    private let configuration: AlertStageConfiguration
    private let metrics: AlertMetrics
    private let logger: Logger
    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let restorer: ChangelogRestorer
    private var engine: AlertEngine
    /// Per input partition whose entity states are loaded: the next offset expected. A
    /// message at another offset means that another member processed the partition in
    /// between, or that records are read again, so the partition's states are restored.
    private var nextOffsets: [Int32: Int64] = [:]
    private let pendingEvents = Locked<[KafkaConsumerEvent]>([])
    private var hasUncommittedOffsets = false
    private var lastCommit = ContinuousClock.now
    private var lastEviction = ContinuousClock.now

    private var topics: AlertTopics { configuration.alerts.topics }

    init(configuration: AlertStageConfiguration, metrics: AlertMetrics, logger: Logger, clock: any AlertClock) throws {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.engine = AlertEngine(configuration: configuration.alerts, clock: clock)
        let producer = try KafkaProducer(configuration: configuration.producerConfiguration())
        do {
            self.consumer = try KafkaConsumer(configuration: configuration.consumerConfiguration())
        } catch {
            Task { await producer.close() }
            throw error
        }
        self.producer = producer
        self.restorer = ChangelogRestorer(configuration: configuration, producer: producer, logger: logger)
    }

    // MARK: Loop

    /// Subscribes and processes batches until `isStopping` returns true, then commits and
    /// closes both clients. On an error it closes the clients without a final commit of
    /// anything not yet stored, and rethrows.
    func run(onSubscribed: @Sendable () -> Void, isStopping: @escaping @Sendable () -> Bool) async throws {
        let eventsTask = Task { [consumer, pendingEvents] in
            for await event in consumer.events {
                pendingEvents.withLock { $0.append(event) }
            }
        }
        defer { eventsTask.cancel() }

        do {
            try consumer.subscribe(topics: [topics.entitySentiment])
            onSubscribed()
            while !isStopping() {
                let batch = try await pollBatch(isStopping: isStopping)
                handlePendingEvents()
                if !batch.isEmpty {
                    try await process(batch)
                }
                try await evictIdleEntitiesIfDue()
                await commitIfDue(force: false)
            }
            await commitIfDue(force: true)
        } catch {
            logger.error("alert stage failed", ["group": .string(configuration.alerts.groupID), "error": .string("\(error)")])
            await close()
            throw error
        }
        await close()
    }

    /// Polls until the batch is full, `maxBatchDuration` has passed since its first message,
    /// a poll returns nothing after at least one message, or a stop is requested.
    private func pollBatch(isStopping: () -> Bool) async throws -> [KafkaConsumerMessage] {
        var batch: [KafkaConsumerMessage] = []
        var firstArrival: ContinuousClock.Instant?
        while batch.count < Self.maxBatchSize, !isStopping() {
            guard let message = try await consumer.poll(timeout: .milliseconds(100)) else {
                if batch.isEmpty { return batch }
                break
            }
            batch.append(message)
            let start = firstArrival ?? ContinuousClock.now
            firstArrival = start
            if ContinuousClock.now - start >= Self.maxBatchDuration { break }
        }
        return batch
    }

    private func close() async {
        do {
            try await consumer.close()
        } catch {
            logger.warning("closing the alert consumer failed", ["error": .string("\(error)")])
        }
        await producer.close()
        metrics.entitiesTracked.set(0)
    }

    // MARK: Rebalances

    private func handlePendingEvents() {
        let events = pendingEvents.withLock { events -> [KafkaConsumerEvent] in
            defer { events.removeAll() }
            return events
        }
        for event in events {
            switch event {
            case .partitionsAssigned(let partitions):
                logger.info("partitions assigned", ["partitions": .string(describe(partitions))])
            case .partitionsRevoked(let partitions), .partitionsLost(let partitions):
                let numbers = Set(partitions.filter { $0.topic == topics.entitySentiment }.map(\.partition))
                let removed = engine.removeEntities(inPartitions: numbers)
                numbers.forEach { nextOffsets[$0] = nil }
                metrics.entitiesTracked.set(engine.entityCount)
                logger.info(
                    "partitions revoked; their entity state is dropped",
                    ["partitions": .string(describe(partitions)), "entities_dropped": .int(removed)]
                )
            case .error(let error):
                logger.rateLimited(key: "consumer-error", every: 30)
                    .warning("Kafka consumer error", ["error": .string(error.description)])
            case .statistics:
                break
            }
        }
    }

    private func describe(_ partitions: [KafkaTopicPartition]) -> String {
        partitions.sorted().map(\.description).joined(separator: ",")
    }

    // MARK: Batches

    /// Counts a batch, delivers its outputs, and stores its offsets.
    private func process(_ batch: [KafkaConsumerMessage]) async throws {
        try await restorePartitionsIfNeeded(for: batch)

        var alerts: [AlertRecord] = []
        var deadLetters: [(message: KafkaConsumerMessage, error: InvalidRecordError)] = []
        var changedEntities = Set<String>()
        var offsets: [KafkaTopicPartition: Int64] = [:]
        for message in batch {
            nextOffsets[message.partition] = message.nextOffset
            offsets[message.topicPartition] = message.nextOffset
            metrics.recordsProcessed.increment()
            switch decode(message) {
            case .failure(let error):
                metrics.invalidRecords.increment()
                logInvalid(message, error)
                deadLetters.append((message, error))
            case .success(let record):
                let position = RecordPosition(partition: message.partition, offset: message.offset)
                handle(engine.process(record, at: position), of: record, alerts: &alerts, changedEntities: &changedEntities)
            }
        }
        metrics.entitiesTracked.set(engine.entityCount)

        for alert in alerts {
            try await send(alert)
        }
        for deadLetter in deadLetters {
            try await sendDeadLetter(deadLetter.message, error: deadLetter.error)
        }
        try await writeStates(changedEntities.compactMap { engine.state(ofEntity: $0) }, tombstones: [])
        storeOffsets(offsets)
    }

    private func decode(_ message: KafkaConsumerMessage) -> Result<EntitySentimentRecord, InvalidRecordError> {
        guard let value = message.value else {
            return .failure(InvalidRecordError(field: nil, problem: "the value is null"))
        }
        do {
            return .success(try EntitySentimentRecord.decode(from: value))
        } catch let error as InvalidRecordError {
            return .failure(error)
        } catch {
            return .failure(InvalidRecordError(field: nil, problem: "\(error)"))
        }
    }

    private func handle(
        _ outcome: AlertEngine.Outcome,
        of record: EntitySentimentRecord,
        alerts: inout [AlertRecord],
        changedEntities: inout Set<String>
    ) {
        switch outcome {
        case let .counted(newAlerts, suppressed):
            alerts += newAlerts
            changedEntities.insert(record.entityKey)
            suppressed.forEach { metrics.suppressedAlerts[$0]?.increment() }
        case let .late(eventTime, watermark):
            metrics.lateRecords.increment()
            logger.rateLimited(key: "late-record", every: 30).warning(
                "late record ignored: its event time is before the entity's watermark minus the allowed lateness",
                [
                    "entity_key": .string(record.entityKey),
                    "message_id": .string(record.messageID),
                    "event_time": .string(Timestamp.string(milliseconds: eventTime)),
                    "watermark": .string(Timestamp.string(milliseconds: watermark)),
                    "allowed_lateness": .string(configuration.alerts.allowedLateness.description),
                ]
            )
        case .alreadyCounted:
            metrics.replayedRecords.increment()
        }
    }

    private func logInvalid(_ message: KafkaConsumerMessage, _ error: InvalidRecordError) {
        logger.rateLimited(key: "invalid-record", every: 30).warning(
            "invalid entity-sentiment record skipped",
            [
                "topic": .string(message.topic),
                "partition": .int(Int(message.partition)),
                "offset": .int(Int(message.offset)),
                "error": .string(error.description),
                "dead_letter_topic": .string(topics.deadLetter ?? "none"),
            ]
        )
    }

    // MARK: Restoring

    /// Restores the entity states of the batch's partitions that have none loaded, or whose
    /// first offset is not the one expected.
    private func restorePartitionsIfNeeded(for batch: [KafkaConsumerMessage]) async throws {
        var firstOffsets: [Int32: Int64] = [:]
        for message in batch where firstOffsets[message.partition] == nil {
            firstOffsets[message.partition] = message.offset
        }
        let stale = Set(firstOffsets.filter { nextOffsets[$0.key] != $0.value }.keys)
        guard !stale.isEmpty else { return }

        let started = ContinuousClock.now
        engine.removeEntities(inPartitions: stale)
        let states = try await restorer.restore(partitions: stale)
        engine.restore(states)
        metrics.restores.increment()
        metrics.restoredEntities.increment(by: states.count)
        metrics.entitiesTracked.set(engine.entityCount)
        logger.info(
            "entity state restored from changelog",
            [
                "topic": .string(topics.changelog),
                "partitions": .string(stale.sorted().map(String.init).joined(separator: ",")),
                "entities": .int(states.count),
                "seconds": .double((ContinuousClock.now - started).seconds),
            ]
        )
    }

    // MARK: Outputs

    private func send(_ alert: AlertRecord) async throws {
        do {
            _ = try await producer.send(topic: topics.alerts, key: Data(alert.entityKey.utf8), value: try alert.encodedJSON())
        } catch let error as KafkaError {
            throw AlertStageError.deliveryFailed(topic: topics.alerts, key: alert.entityKey, underlying: error)
        }
        metrics.alerts[alert.rule]?.increment()
        logger.notice(
            "alert sent",
            [
                "alert_id": .string(alert.alertID),
                "rule": .string(alert.rule.rawValue),
                "entity_key": .string(alert.entityKey),
                "window_start": .string(Timestamp.string(milliseconds: alert.window.start)),
                "summary": .string(alert.summary),
            ]
        )
    }

    private func sendDeadLetter(_ message: KafkaConsumerMessage, error: InvalidRecordError) async throws {
        guard let topic = topics.deadLetter else { return }
        let headers = [
            KafkaHeader(name: "spectag.error", value: Data(error.description.utf8)),
            KafkaHeader(name: "spectag.stage", value: Data("alerts".utf8)),
            KafkaHeader(name: "spectag.source", value: Data("\(message.topic)/\(message.partition)/\(message.offset)".utf8)),
        ]
        do {
            _ = try await producer.send(topic: topic, key: message.key, value: message.value, headers: message.headers + headers)
        } catch let kafkaError as KafkaError {
            throw AlertStageError.deliveryFailed(topic: topic, key: message.key.map { String(decoding: $0, as: UTF8.self) } ?? "", underlying: kafkaError)
        }
    }

    /// Writes entity states, and tombstones for removed entities, to the changelog
    /// partition of each entity's input partition, and waits for all acknowledgements.
    private func writeStates(_ states: [EntityWindowState], tombstones: [EntityWindowState]) async throws {
        let topic = topics.changelog
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var records: [(key: String, partition: Int32?, value: Data?)] = []
        for state in states {
            records.append((state.entityKey, state.partition, try encoder.encode(state)))
        }
        for state in tombstones {
            records.append((state.entityKey, state.partition, nil))
        }
        guard !records.isEmpty else { return }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for record in records {
                group.addTask { [producer] in
                    do {
                        _ = try await producer.send(topic: topic, key: Data(record.key.utf8), value: record.value, partition: record.partition)
                    } catch let error as KafkaError {
                        throw AlertStageError.deliveryFailed(topic: topic, key: record.key, underlying: error)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    // MARK: Offsets

    /// Stores the batch's offsets partition by partition. A partition that is no longer
    /// assigned loses its entity state, because another member now owns it.
    private func storeOffsets(_ offsets: [KafkaTopicPartition: Int64]) {
        for (partition, offset) in offsets {
            do {
                try consumer.storeOffsets([partition: offset])
                hasUncommittedOffsets = true
            } catch {
                engine.removeEntities(inPartitions: [partition.partition])
                nextOffsets[partition.partition] = nil
                logger.warning(
                    "offset not stored because the partition is no longer assigned; its records will be processed by its new owner",
                    ["partition": .string(partition.description), "offset": .int(Int(offset)), "error": .string("\(error)")]
                )
            }
        }
    }

    private func commitIfDue(force: Bool) async {
        guard hasUncommittedOffsets else { return }
        guard force || ContinuousClock.now - lastCommit >= configuration.alerts.commitInterval.duration else { return }
        do {
            try await consumer.commit()
            hasUncommittedOffsets = false
            lastCommit = ContinuousClock.now
            logger.rateLimited(key: "commit-failed", every: 30).reset()
        } catch {
            // The offsets stay stored, so the next commit includes them.
            logger.rateLimited(key: "commit-failed", every: 30)
                .warning("committing offsets failed; retrying at the next interval", ["error": .string("\(error)")])
        }
    }

    // MARK: Eviction

    private func evictIdleEntitiesIfDue() async throws {
        guard ContinuousClock.now - lastEviction >= Self.evictionInterval else { return }
        lastEviction = ContinuousClock.now
        let evicted = engine.evictIdleEntities()
        guard !evicted.isEmpty else { return }
        try await writeStates([], tombstones: evicted)
        metrics.evictedEntities.increment(by: evicted.count)
        metrics.entitiesTracked.set(engine.entityCount)
        logger.debug("idle entities removed", ["entities": .int(evicted.count)])
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
