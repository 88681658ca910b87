import Foundation
import SpecTagKafka
import SpecTagLogging
import SpecTagMetrics

// MARK: - Streaming service

/// The tagging service: reads news from the input topic, tags it in micro-batches and
/// writes tagged records, entity-sentiment records and dead letters, committing an input
/// offset only after every output of its message has a delivery report.
///
/// ``run()`` returns after a graceful shutdown, which ``shutdown`` requests: it stops
/// reading, finishes and delivers the messages in flight (up to
/// ``ServiceConfiguration/shutdownTimeout``), commits, and leaves the consumer group.
public final class StreamingService: Sendable {
    public let configuration: ServiceConfiguration
    /// Request a graceful shutdown through this flag, for example from a signal handler.
    public let shutdown: ShutdownRequest
    let tagger: any NewsTagging
    let metrics: ServiceMetrics
    let readiness: ReadinessFlag
    let logger: Logger
    private let topicsCreated = Locked(false)

    /// The labels that entity-sentiment records use.
    static let requiredSentimentLabels: Set<String> = ["negative", "neutral", "positive"]

    /// Prepares the service; no connection opens before ``run()``.
    ///
    /// - Throws: ``ServiceConfigurationError`` when the model's sentiment labels are not
    ///   `negative`, `neutral` and `positive`, which the entity-sentiment records require.
    public init(
        configuration: ServiceConfiguration,
        tagger: any NewsTagging,
        metrics: ServiceMetrics,
        readiness: ReadinessFlag,
        shutdown: ShutdownRequest = ShutdownRequest(),
        logger: Logger = Logger(label: "spectag.serve")
    ) throws {
        let labels = Set(tagger.sentimentLabels)
        guard Self.requiredSentimentLabels.isSubset(of: labels) else {
            throw ServiceConfigurationError(
                source: "model",
                problem: "the model's sentiment labels are \(tagger.sentimentLabels.joined(separator: ", ")); the service needs negative, neutral and positive"
            )
        }
        self.configuration = configuration
        self.tagger = tagger
        self.metrics = metrics
        self.readiness = readiness
        self.shutdown = shutdown
        self.logger = logger
    }

    // MARK: Running

    /// Runs until a shutdown is requested or a fatal error occurs, then shuts down gracefully.
    ///
    /// - Throws: ``KafkaError`` when the topics cannot be created or a client fails for
    ///   good, such as a fenced transactional producer. The offsets of delivered messages
    ///   are committed before it throws. ``ServiceConfigurationError`` for an unreadable
    ///   client.properties file.
    public func run() async throws {
        logStart()
        readiness.markNotReady("waiting for a partition assignment")
        try await createTopicsIfConfigured()
        let drain = RevocationDrain(timeout: configuration.rebalanceDrainTimeout, logger: logger)
        let consumer = try KafkaConsumer(configuration: configuration.consumerConfiguration(
            revocationHandler: { drain.partitionsWillBeRevoked($0) }
        ))
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(configuration: configuration.producerConfiguration())
            if configuration.guarantee == .exactlyOnce {
                try await initializeTransactions(producer)
            }
            try consumer.subscribe(topics: [configuration.inputTopic])
        } catch {
            try? await consumer.close()
            throw error
        }

        let pipeline = Pipeline(
            consumer: consumer,
            decoder: NewsMessageDecoder(maximumMessageBytes: configuration.maxMessageBytes),
            batchLimits: .init(
                maxItems: configuration.maxBatchMessages,
                maxCost: configuration.maxBatchCharacters,
                maxWait: configuration.maxBatchWait
            ),
            maxInFlight: configuration.maxInFlightMessages,
            storesOffsets: configuration.guarantee == .atLeastOnce,
            metrics: metrics,
            readiness: readiness,
            logger: logger
        )
        drain.attach(pipeline)
        let context = RunContext(consumer: consumer, producer: producer, pipeline: pipeline)
        try await run(context)
    }

    /// The clients and state of one run, and the first fatal error.
    struct RunContext: Sendable {
        let consumer: KafkaConsumer
        let producer: KafkaProducer
        let pipeline: Pipeline
        let failure = Locked<(any Error)?>(nil)
        let processorFinished = Locked(false)
    }

    private func run(_ context: RunContext) async throws {
        let eventsTask = Task { await handleEvents(context) }
        let timerTask = Task { await runBatchTimer(context.pipeline) }
        let processorTask = Task { await runProcessor(context) }
        let commitTask = configuration.guarantee == .atLeastOnce ? Task { await runCommitLoop(context) } : nil
        logger.info("tagging service started", ["input_topic": .string(configuration.inputTopic)])

        do {
            try await pollLoop(context)
        } catch {
            fail(context, error)
        }

        let drained = await finishInFlight(context)
        timerTask.cancel()
        if !drained {
            processorTask.cancel()
        }
        commitTask?.cancel()
        await commitTask?.value
        await commitFinalOffsets(context)
        do {
            try await context.consumer.close()
        } catch {
            logger.error("leaving the consumer group failed", ["error": .string("\(error)")])
        }
        await eventsTask.value
        await context.producer.close(timeout: drained ? .seconds(10) : .seconds(1))
        await processorTask.value
        readiness.markNotReady("stopped")

        let failure = context.failure.withLock { $0 }
        let dropped = await context.pipeline.inFlightCount
        logger.info("tagging service stopped", [
            "clean": .bool(drained && failure == nil),
            "in_flight_dropped": .int(dropped),
        ])
        if let failure {
            throw failure
        }
    }

    /// Records the first fatal error and requests a shutdown.
    private func fail(_ context: RunContext, _ error: any Error) {
        let isFirst = context.failure.withLock { failure -> Bool in
            guard failure == nil else { return false }
            failure = error
            return true
        }
        if isFirst {
            logger.critical("stopping after a fatal error", ["error": .string("\(error)")])
        }
        shutdown.request()
    }

    // MARK: Loops

    /// Polls until a shutdown is requested. After every poll it passes the current
    /// assignment to the pipeline before the message, so a rebalance takes effect in order.
    private func pollLoop(_ context: RunContext) async throws {
        while !shutdown.isRequested {
            let message = try await context.consumer.poll(timeout: .milliseconds(100))
            if let assignment = try? context.consumer.assignment() {
                await context.pipeline.updateAssignment(Set(assignment))
            }
            if let message {
                await context.pipeline.accept(message)
            }
        }
    }

    /// Closes open batches whose wait time is over.
    private func runBatchTimer(_ pipeline: Pipeline) async {
        let idleWait = max(Duration.milliseconds(1), min(configuration.maxBatchWait / 2, .milliseconds(50)))
        while !Task.isCancelled {
            let deadline = await pipeline.flushDueBatch()
            let wait = deadline.map { max(Duration.milliseconds(1), $0 - ContinuousClock.now) } ?? idleWait
            try? await Task.sleep(for: wait)
        }
    }

    /// Tags each batch and delivers its records: concurrently per message with
    /// `at_least_once`, one transaction per batch with `exactly_once`.
    private func runProcessor(_ context: RunContext) async {
        defer { context.processorFinished.withLock { $0 = true } }
        let processor = BatchProcessor(
            worker: TaggingWorker(tagger: tagger),
            builder: RecordBuilder(
                topics: configuration.outputTopics,
                modelName: tagger.modelName,
                drafterName: tagger.drafterName,
                maximumDeadLetterValueBytes: configuration.maxDeadLetterValueBytes
            ),
            metrics: metrics,
            logger: logger
        )
        let publisher = OutputPublisher(
            producer: context.producer,
            backoff: RetryBackoff(initial: configuration.retryBackoff, maximum: configuration.retryBackoffMax),
            giveUpAfter: configuration.deliveryGiveUp > .zero ? configuration.deliveryGiveUp : nil,
            metrics: metrics,
            logger: logger
        )
        switch configuration.guarantee {
        case .atLeastOnce:
            await withDiscardingTaskGroup { group in
                for await batch in context.pipeline.batches {
                    for item in await processor.process(batch) {
                        group.addTask { await self.deliver(item, publisher: publisher, context: context) }
                    }
                }
            }
        case .exactlyOnce:
            let transactions = TransactionRunner(
                producer: context.producer, consumer: context.consumer, pipeline: context.pipeline,
                publisher: publisher, backoff: publisher.backoff, metrics: metrics, logger: logger
            )
            for await batch in context.pipeline.batches {
                let processed = await processor.process(batch)
                do {
                    try await transactions.commit(processed)
                } catch {
                    fail(context, error)
                    return
                }
            }
        }
    }

    private func deliver(_ item: ProcessedItem, publisher: OutputPublisher, context: RunContext) async {
        let input = item.item.message
        let logContext: LogMetadata = [
            "message_id": .string((try? item.item.content.get().id) ?? ""),
            "topic": .string(input.topic),
            "partition": .int(Int(input.partition)),
            "offset": .int(Int(input.offset)),
        ]
        let ticket = item.item.ticket
        do {
            let outcome = try await publisher.deliver(item.records, context: logContext) {
                await context.pipeline.isCurrent(ticket)
            }
            if outcome == .delivered {
                await context.pipeline.finish([item])
            }
        } catch {
            fail(context, error)
        }
    }

    /// Commits the stored offsets every `commit_interval_ms`.
    private func runCommitLoop(_ context: RunContext) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.commitInterval)
            guard await context.pipeline.takeStoredSinceCommit() else { continue }
            await commitStoredOffsets(context)
        }
    }

    private func commitStoredOffsets(_ context: RunContext) async {
        do {
            try await context.consumer.commit()
            logger.rateLimited(key: "commit", every: 10).reset()
        } catch {
            metrics.recordRetry("commit")
            // The offsets stay stored, so the next commit includes them.
            await context.pipeline.markStoredSinceCommit()
            logger.rateLimited(key: "commit", every: 10).warning(
                "committing offsets failed; retrying at the next commit interval",
                ["error": .string("\(error)")]
            )
        }
    }

    /// Serves consumer events: statistics feed the lag metric, errors are logged, and a
    /// fatal error stops the service.
    private func handleEvents(_ context: RunContext) async {
        for await event in context.consumer.events {
            switch event {
            case .statistics(let statistics):
                metrics.recordLag(statistics, topic: configuration.inputTopic)
            case .error(let error):
                if error.isFatal {
                    fail(context, error)
                } else {
                    logger.rateLimited(key: "consumer-error-\(error.name)", every: 10).warning(
                        "Kafka consumer error; librdkafka retries on its own",
                        ["error": .string(error.description)]
                    )
                }
            case .partitionsLost(let partitions):
                logger.warning("partitions lost without a rebalance; their work in flight is dropped", [
                    "partitions": .string(partitions.map(\.description).joined(separator: ",")),
                ])
            case .partitionsAssigned, .partitionsRevoked:
                // The pipeline applies assignment changes in order with the messages.
                break
            }
        }
    }

    // MARK: Shutdown

    /// Closes the input and waits up to the shutdown timeout for every batch to be
    /// delivered; returns whether everything finished.
    private func finishInFlight(_ context: RunContext) async -> Bool {
        let inFlight = await context.pipeline.inFlightCount
        logger.info("stopping: finishing messages in flight", [
            "in_flight": .int(inFlight),
            "shutdown_timeout_ms": .int(Int(configuration.shutdownTimeout.milliseconds)),
        ])
        await context.pipeline.closeInput()
        let deadline = ContinuousClock.now + configuration.shutdownTimeout
        while !context.processorFinished.withLock({ $0 }) {
            guard ContinuousClock.now < deadline else {
                let remaining = await context.pipeline.inFlightCount
                logger.error("shutdown timeout reached; messages still in flight will be processed again after a restart", [
                    "in_flight": .int(remaining),
                ])
                return false
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    private func commitFinalOffsets(_ context: RunContext) async {
        guard configuration.guarantee == .atLeastOnce else { return }
        await context.pipeline.storeFinalOffsets()
        await commitStoredOffsets(context)
    }

    // MARK: Setup

    /// Creates the tagger's topics when `create_topics` is on and they were not created by
    /// an earlier call; existing topics are kept. ``run()`` calls it first, and a caller
    /// that starts the alert stage beside the tagger calls it before, because the alert
    /// stage requires the entity-sentiment topic to exist.
    ///
    /// It retries while the broker reports a retriable error, such as no broker reachable.
    /// - Throws: ``KafkaError`` for a permanent error, such as an invalid replication factor.
    public func createTopicsIfConfigured() async throws {
        guard configuration.createTopics, !topicsCreated.withLock({ $0 }) else { return }
        let admin = try KafkaAdminClient(configuration: configuration.adminConfiguration())
        let topics = configuration.taggerTopics
        let backoff = RetryBackoff(initial: configuration.retryBackoff, maximum: configuration.retryBackoffMax)
        var attempt = 0
        while true {
            do {
                try await admin.createTopics(topics, ignoreExisting: true, timeout: .seconds(30))
                topicsCreated.withLock { $0 = true }
                logger.info("topics ready", ["topics": .string(topics.map(\.name).joined(separator: ","))])
                return
            } catch let error as KafkaError where error.isRetriable && !shutdown.isRequested {
                attempt += 1
                logger.warning("creating topics failed; retrying", [
                    "error": .string(error.description), "attempt": .int(attempt),
                ])
                try await Task.sleep(for: backoff.delay(attempt: attempt))
            }
        }
    }

    private func initializeTransactions(_ producer: KafkaProducer) async throws {
        let backoff = RetryBackoff(initial: configuration.retryBackoff, maximum: configuration.retryBackoffMax)
        var attempt = 0
        while true {
            do {
                try await producer.initTransactions(timeout: .seconds(30))
                logger.info("transactions initialized", ["transactional_id": .string(configuration.effectiveTransactionalID)])
                return
            } catch let error as KafkaError where error.isRetriable && !shutdown.isRequested {
                attempt += 1
                logger.warning("initializing transactions failed; retrying", [
                    "error": .string(error.description), "attempt": .int(attempt),
                ])
                try await Task.sleep(for: backoff.delay(attempt: attempt))
            }
        }
    }

    private func logStart() {
        let overrides = (try? configuration.librdkafkaOverrides()) ?? configuration.kafkaProperties
        logger.info("tagging service starting", [
            "brokers": .string(configuration.brokers.joined(separator: ",")),
            "group_id": .string(configuration.groupID),
            "input_topic": .string(configuration.inputTopic),
            "tagged_topic": .string(configuration.taggedTopic),
            "entity_sentiment_topic": .string(configuration.entitySentimentTopic),
            "dead_letter_topic": .string(configuration.deadLetterTopic),
            "guarantee": .string(configuration.guarantee.rawValue),
            "max_batch_messages": .int(configuration.maxBatchMessages),
            "max_batch_wait_ms": .int(Int(configuration.maxBatchWait.milliseconds)),
            "max_in_flight_messages": .int(configuration.maxInFlightMessages),
            "model": .string(tagger.modelName),
            "drafter": .string(tagger.drafterName),
            "kafka_properties": .string(overrides.entries.map { "\($0.key)=\(KafkaProperties.loggableValue(of: $0))" }.joined(separator: ",")),
        ])
    }
}
