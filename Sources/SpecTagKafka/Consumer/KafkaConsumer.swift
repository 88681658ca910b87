import CRdKafka
import Dispatch
import Foundation
import SpecTagLogging

// MARK: - Consumer

/// A member of a Kafka consumer group with manual offset handling.
///
/// Auto commit and automatic offset storing are off. The application marks a message as
/// done with ``storeOffset(_:)`` once every output of it is acknowledged, and commits the
/// stored offsets with ``commit()``, ``commitSync()`` or ``commitAsync()``. Messages come
/// from ``messages`` or ``poll(timeout:)``; rebalances, statistics and errors come from
/// ``events``.
///
/// Polling runs on one serial dispatch queue, because librdkafka's consumer must not be
/// polled concurrently; rebalance and statistics callbacks run there too. The other
/// methods may be called from any task.
///
/// - Important: librdkafka removes the member from the group when it is not polled for
///   ``KafkaConsumerConfiguration/maxPollInterval``, and reads ``events`` only while
///   polling, so keep iterating ``messages`` while work is in progress.
public final class KafkaConsumer: Sendable {
    /// Rebalance, statistics and error events. The stream buffers up to 1024 unread
    /// events, dropping the oldest, and ends when the consumer is closed.
    public let events: AsyncStream<KafkaConsumerEvent>

    let handle: KafkaHandle
    private let eventContinuation: AsyncStream<KafkaConsumerEvent>.Continuation
    private let pollQueue = DispatchQueue(label: "spectag.kafka.consumer.poll")
    private let state = Locked(LifecycleState.open)
    private let commitTimeout: Duration

    private enum LifecycleState {
        case open
        case closing
        case closed
    }

    /// Creates the consumer. It joins the group on ``subscribe(topics:)``.
    ///
    /// - Throws: ``KafkaError`` for an invalid property, naming the key, or when the
    ///   configuration tries to enable automatic offset commits.
    public init(configuration: KafkaConsumerConfiguration) throws {
        let (events, continuation) = AsyncStream<KafkaConsumerEvent>.makeStream(
            bufferingPolicy: .bufferingNewest(1024)
        )
        let callbacks = ClientCallbacks(
            consumerEvents: continuation,
            commitStoredOffsetsOnRevoke: configuration.commitStoredOffsetsOnRevoke,
            revocationHandler: configuration.revocationHandler,
            commitTimeout: configuration.commitTimeout
        )
        let handle: KafkaHandle
        do {
            handle = try KafkaHandle(
                type: RD_KAFKA_CONSUMER,
                properties: configuration.librdkafkaProperties(),
                callbacks: callbacks,
                operation: "create Kafka consumer"
            ) { nativeConfiguration in
                rd_kafka_conf_set_rebalance_cb(nativeConfiguration, handleRebalance)
                rd_kafka_conf_set_offset_commit_cb(nativeConfiguration, logOffsetCommit)
                rd_kafka_conf_set_stats_cb(nativeConfiguration, forwardStatistics)
            }
        } catch {
            continuation.finish()
            throw error
        }
        // Serve the main queue (errors, statistics) from rd_kafka_consumer_poll.
        rd_kafka_poll_set_consumer(handle.pointer)

        self.events = events
        self.eventContinuation = continuation
        self.handle = handle
        self.commitTimeout = configuration.commitTimeout
        kafkaLogger.info(
            "Kafka consumer created",
            [
                "client": .string(handle.name),
                "group": .string(configuration.groupID),
                "librdkafka": .string(LibrdkafkaVersion.loaded.description),
            ]
        )
    }

    deinit {
        eventContinuation.finish()
    }

    // MARK: Subscription

    /// Subscribes to `topics`, replacing any earlier subscription, and joins the group on
    /// the next poll. A topic name starting with `^` is a regular expression.
    ///
    /// - Throws: ``KafkaError`` when librdkafka rejects the subscription or the consumer
    ///   is closed.
    public func subscribe(topics: [String]) throws {
        let operation = "subscribe to \(topics.joined(separator: ","))"
        try requireOpen(operation)
        let list = NativeTopicPartitionList(topics.map { (KafkaTopicPartition(topic: $0, partition: -1), nil) })
        let code = rd_kafka_subscribe(handle.pointer, list.pointer)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: code, operation: operation)
        }
    }

    /// The rebalance protocol in use: `EAGER`, `COOPERATIVE`, or `NONE` before the first
    /// assignment.
    public var rebalanceProtocol: String {
        SpecTagKafka.rebalanceProtocol(of: handle.pointer)
    }

    // MARK: Polling

    /// The consumed messages as an asynchronous sequence.
    ///
    /// Each `next()` polls in steps of 100 ms until a message arrives, so cancellation and
    /// closing are noticed within that time. The sequence ends when the consumer is closed
    /// or the iterating task is cancelled.
    public var messages: KafkaConsumerMessages {
        KafkaConsumerMessages(consumer: self, pollTimeout: .milliseconds(100))
    }

    /// Waits up to `timeout` for one message and serves rebalance and statistics callbacks.
    ///
    /// Returns `nil` when no message arrived, when the consumer is closed, or when the poll
    /// returned an error that does not stop the consumer. Such errors are logged and sent
    /// to ``events``. Partition-end notices are skipped.
    /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/fatal`` when the consumer can no
    ///   longer work.
    public func poll(timeout: Duration = .milliseconds(100)) async throws -> KafkaConsumerMessage? {
        try await runBlocking(on: pollQueue) { [self] in
            try pollOnQueue(timeout: timeout)
        }
    }

    private func pollOnQueue(timeout: Duration) throws -> KafkaConsumerMessage? {
        guard state.withLock({ $0 == .open }) else { return nil }
        guard let message = rd_kafka_consumer_poll(handle.pointer, timeout.clampedMilliseconds) else {
            return nil
        }
        defer { rd_kafka_message_destroy(message) }

        let code = message.pointee.err
        switch code {
        case RD_KAFKA_RESP_ERR_NO_ERROR:
            return KafkaConsumerMessage(copying: message)
        case RD_KAFKA_RESP_ERR__PARTITION_EOF:
            return nil
        case RD_KAFKA_RESP_ERR__FATAL:
            throw KafkaError.fatal(of: handle.pointer, operation: "poll Kafka consumer")
        default:
            let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "unknown topic"
            let error = KafkaError(
                code: code,
                operation: "consume from \(topic)[\(message.pointee.partition)]",
                reason: String(cString: rd_kafka_message_errstr(message))
            )
            kafkaLogger.warning("consume error", ["client": .string(handle.name), "error": .string(error.description)])
            eventContinuation.yield(.error(error))
            return nil
        }
    }

    /// True once ``close()`` has started.
    var isClosed: Bool {
        state.withLock { $0 != .open }
    }

    // MARK: Offsets

    /// Marks `message` as processed: its next offset is stored for the next commit.
    ///
    /// - Throws: ``KafkaError`` with code `_STATE` when the partition is no longer
    ///   assigned to this consumer, for example after a rebalance. The caller should then
    ///   drop the message's work, because another member will process it again.
    public func storeOffset(_ message: KafkaConsumerMessage) throws {
        try storeOffsets([message.topicPartition: message.nextOffset])
    }

    /// Stores `offsets` (next offsets to read) for the next commit.
    ///
    /// - Throws: ``KafkaError`` naming the first partition librdkafka rejected.
    public func storeOffsets(_ offsets: [KafkaTopicPartition: Int64]) throws {
        let operation = "store offsets"
        try requireOpen(operation)
        let list = NativeTopicPartitionList(offsets: offsets)
        let code = rd_kafka_offsets_store(handle.pointer, list.pointer)
        try list.throwFirstPartitionError(operation: operation)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: code, operation: operation)
        }
    }

    /// Commits the stored offsets and returns when the group coordinator has accepted
    /// them. Nothing stored since the last commit counts as success.
    ///
    /// The blocking librdkafka call runs on a Dispatch thread, not on the caller's.
    /// - Throws: ``KafkaError`` when the commit fails, for example during a rebalance.
    public func commit() async throws {
        try await runBlocking { [self] in
            try commitSync()
        }
    }

    /// Commits the stored offsets, blocking the calling thread until the coordinator has
    /// accepted them or ``KafkaConsumerConfiguration/commitTimeout`` has passed. Nothing stored
    /// since the last commit counts as success.
    ///
    /// - Throws: ``KafkaError`` when the commit fails, with `_TIMED_OUT` when no response came
    ///   in time.
    public func commitSync() throws {
        try requireOpen("commit offsets")
        let code = commitAndWait(handle: handle.pointer, offsets: nil, timeout: commitTimeout).code
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError(code: code, operation: "commit offsets")
        }
    }

    /// Starts a commit of the stored offsets and returns at once. The result is not
    /// returned to the caller: a later poll serves it and logs a failure.
    ///
    /// - Throws: ``KafkaError`` when the commit cannot be started.
    public func commitAsync() throws {
        try requireOpen("commit offsets asynchronously")
        let code = rd_kafka_commit(handle.pointer, nil, 1)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError(code: code, operation: "commit offsets asynchronously")
        }
    }

    /// Commits explicit offsets (next offsets to read), ignoring the stored ones, and waits at
    /// most ``KafkaConsumerConfiguration/commitTimeout`` for the coordinator's response.
    ///
    /// - Throws: ``KafkaError`` for the request, with `_TIMED_OUT` when no response came in
    ///   time, or naming the first partition that failed.
    public func commit(offsets: [KafkaTopicPartition: Int64]) async throws {
        try requireOpen("commit offsets")
        try await runBlocking { [handle, commitTimeout] in
            let list = NativeTopicPartitionList(offsets: offsets)
            let outcome = commitAndWait(handle: handle.pointer, offsets: list.pointer, timeout: commitTimeout)
            guard outcome.code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(code: outcome.code, operation: "commit offsets")
            }
            try NativeTopicPartitionList.throwFirstError(of: outcome.partitions, operation: "commit offset")
        }
    }

    /// Fetches the group's committed offsets of `partitions` from the coordinator.
    ///
    /// Partitions without a committed offset are missing from the result.
    /// - Throws: ``KafkaError`` when the request fails or times out.
    public func committed(
        _ partitions: [KafkaTopicPartition],
        timeout: Duration = .seconds(10)
    ) async throws -> [KafkaTopicPartition: Int64] {
        try requireOpen("fetch committed offsets")
        return try await runBlocking { [handle] in
            let list = NativeTopicPartitionList(partitions: partitions)
            let code = rd_kafka_committed(handle.pointer, list.pointer, timeout.clampedMilliseconds)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(code: code, operation: "fetch committed offsets")
            }
            try list.throwFirstPartitionError(operation: "fetch committed offset")
            return list.validOffsets
        }
    }

    /// Returns the offset of the next message this consumer will return per partition,
    /// from local state. Partitions not yet consumed are missing from the result.
    ///
    /// - Throws: ``KafkaError`` when librdkafka rejects the request.
    public func position(_ partitions: [KafkaTopicPartition]) throws -> [KafkaTopicPartition: Int64] {
        try requireOpen("read positions")
        let list = NativeTopicPartitionList(partitions: partitions)
        let code = rd_kafka_position(handle.pointer, list.pointer)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: code, operation: "read positions")
        }
        return list.validOffsets
    }

    // MARK: Assignment

    /// Returns the partitions currently assigned to this consumer.
    ///
    /// - Throws: ``KafkaError`` when librdkafka cannot report the assignment.
    public func assignment() throws -> [KafkaTopicPartition] {
        try requireOpen("read assignment")
        var nativeList: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let code = rd_kafka_assignment(handle.pointer, &nativeList)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let nativeList else {
            throw KafkaError(code: code, operation: "read assignment")
        }
        return NativeTopicPartitionList(adopting: nativeList).elements.map(\.topicPartition).sorted()
    }

    /// Stops fetching from `partitions` until ``resume(_:)``; polls keep serving callbacks.
    ///
    /// - Throws: ``KafkaError`` naming the first partition that could not be paused.
    public func pause(_ partitions: [KafkaTopicPartition]) throws {
        try requireOpen("pause partitions")
        let list = NativeTopicPartitionList(partitions: partitions)
        let code = rd_kafka_pause_partitions(handle.pointer, list.pointer)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: code, operation: "pause partitions")
        }
        try list.throwFirstPartitionError(operation: "pause partition")
    }

    /// Resumes fetching from paused `partitions` at their current position.
    ///
    /// - Throws: ``KafkaError`` naming the first partition that could not be resumed.
    public func resume(_ partitions: [KafkaTopicPartition]) throws {
        try requireOpen("resume partitions")
        let list = NativeTopicPartitionList(partitions: partitions)
        let code = rd_kafka_resume_partitions(handle.pointer, list.pointer)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: code, operation: "resume partitions")
        }
        try list.throwFirstPartitionError(operation: "resume partition")
    }

    /// Returns a snapshot of the group membership for
    /// ``KafkaProducer/sendOffsetsToTransaction(_:groupMetadata:timeout:)``.
    ///
    /// - Throws: ``KafkaError`` when librdkafka has no group metadata for this handle.
    public func groupMetadata() throws -> KafkaConsumerGroupMetadata {
        try requireOpen("read consumer group metadata")
        guard let metadata = rd_kafka_consumer_group_metadata(handle.pointer) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__STATE, operation: "read consumer group metadata")
        }
        return KafkaConsumerGroupMetadata(adopting: metadata)
    }

    // MARK: Closing

    /// Leaves the group: revokes the assignment (committing stored offsets first when
    /// configured), then stops the consumer and ends ``events`` and ``messages``.
    ///
    /// It waits for a poll in progress to finish. Calling it again does nothing.
    /// - Throws: ``KafkaError`` when leaving the group failed; the consumer is closed anyway.
    public func close() async throws {
        let shouldClose = state.withLock { state in
            guard state == .open else { return false }
            state = .closing
            return true
        }
        guard shouldClose else { return }
        defer { eventContinuation.finish() }

        try await runBlocking(on: pollQueue) { [self] in
            let code = rd_kafka_consumer_close(handle.pointer)
            state.withLock { $0 = .closed }
            kafkaLogger.info("Kafka consumer closed", ["client": .string(handle.name)])
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(code: code, operation: "close Kafka consumer")
            }
        }
    }

    private func requireOpen(_ operation: String) throws {
        guard !isClosed else {
            throw KafkaError.clientClosed(operation: operation)
        }
    }
}
