import CRdKafka
import Foundation
import SpecTagLogging

// MARK: - Producer

/// A Kafka producer whose `send` returns once the broker has acknowledged the message.
///
/// By default the producer is idempotent (`enable.idempotence=true`, `acks=all`): retries
/// neither duplicate nor reorder messages within a partition. A background thread polls
/// librdkafka for delivery reports. With a `transactionalID`, the methods in
/// `KafkaProducer+Transactions.swift` send messages and consumer offsets atomically.
///
/// Call ``close(timeout:)`` before dropping the last reference to deliver what is queued.
/// - Important: if a ``KafkaError`` with ``KafkaError/Kind/fatal`` kind comes back, the
///   producer cannot send any more; close it and create a new one.
public final class KafkaProducer: Sendable {
    let handle: KafkaHandle
    private let deliveryTracker: DeliveryTracker
    private let pollLoop: PollLoop
    private let closed = Locked(false)

    /// Creates the producer and starts its poll thread. Connections open lazily.
    ///
    /// - Throws: ``KafkaError`` with the key and librdkafka's message for an invalid
    ///   property, or with librdkafka's message when the combination is invalid (for
    ///   example idempotence with `acks=1`).
    public init(configuration: KafkaProducerConfiguration) throws {
        let tracker = DeliveryTracker()
        let handle = try KafkaHandle(
            type: RD_KAFKA_PRODUCER,
            properties: configuration.librdkafkaProperties(),
            callbacks: ClientCallbacks(deliveryTracker: tracker),
            operation: "create Kafka producer"
        ) { nativeConfiguration in
            rd_kafka_conf_set_dr_msg_cb(nativeConfiguration, deliverReport)
        }
        self.handle = handle
        self.deliveryTracker = tracker
        self.pollLoop = PollLoop(handle: handle, threadName: "kafka-producer-poll")
        kafkaLogger.info(
            "Kafka producer created",
            ["client": .string(handle.name), "librdkafka": .string(LibrdkafkaVersion.loaded.description)]
        )
    }

    deinit {
        pollLoop.stop()
    }

    // MARK: Sending

    /// Sends one message and returns when the broker has acknowledged it.
    ///
    /// While librdkafka's local queue is full (`queue.buffering.max.messages`), the call
    /// waits and retries every 10 ms. Cancelling the task stops that waiting, but a message
    /// that was already queued is still delivered, and the call then waits for its report.
    /// - Parameters:
    ///   - key: `nil` for a null key. The default partitioner hashes the key.
    ///   - value: `nil` for a null value (a tombstone in a compacted topic).
    ///   - partition: a fixed partition, or `nil` to let the partitioner choose.
    /// - Throws: ``KafkaError`` when the message cannot be queued (unknown partition, too
    ///   large) or its delivery failed after librdkafka's retries (for example
    ///   `_MSG_TIMED_OUT` after ``KafkaProducerConfiguration/deliveryTimeout``), or when the
    ///   producer is closed. `CancellationError` while waiting for queue space.
    public func send(
        topic: String,
        key: Data? = nil,
        value: Data?,
        headers: [KafkaHeader] = [],
        partition: Int32? = nil
    ) async throws -> KafkaDeliveryReport {
        let operation = "send message to topic \"\(topic)\""
        while true {
            guard !closed.withLock({ $0 }) else {
                throw KafkaError.clientClosed(operation: operation)
            }
            do {
                return try await withCheckedThrowingContinuation { continuation in
                    let identifier = deliveryTracker.register(continuation)
                    let failure = enqueue(
                        identifier: identifier,
                        topic: topic,
                        key: key,
                        value: value,
                        headers: headers,
                        partition: partition
                    )
                    if let failure, let waiting = deliveryTracker.remove(identifier) {
                        waiting.resume(throwing: Self.enqueueError(failure, operation: operation))
                    }
                }
            } catch is QueueFull {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// Signals that librdkafka's local queue had no space; `send` waits and retries.
    private struct QueueFull: Error {}

    /// Queues the message; returns librdkafka's error when it was not queued.
    private func enqueue(
        identifier: UInt,
        topic: String,
        key: Data?,
        value: Data?,
        headers: [KafkaHeader],
        partition: Int32?
    ) -> OpaquePointer? {
        let arguments = ProduceArguments()
        arguments.addTopic(topic)
        arguments.addPartition(partition ?? Self.unassignedPartition)
        arguments.addKey(key)
        arguments.addPayload(value)
        for header in headers {
            arguments.addHeader(header)
        }
        arguments.addOpaque(identifier)
        arguments.addFlags(RD_KAFKA_MSG_F_COPY)
        return arguments.values.withUnsafeBufferPointer { buffer in
            rd_kafka_produceva(handle.pointer, buffer.baseAddress, buffer.count)
        }
    }

    private static func enqueueError(_ error: OpaquePointer, operation: String) -> any Error {
        if rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL {
            rd_kafka_error_destroy(error)
            return QueueFull()
        }
        return KafkaError(consuming: error, operation: operation)
    }

    /// `RD_KAFKA_PARTITION_UA`: let the partitioner choose.
    private static let unassignedPartition: Int32 = -1

    // MARK: Flushing and closing

    /// Messages that are queued or in flight and have no delivery report yet.
    public var outstandingMessageCount: Int {
        Int(rd_kafka_outq_len(handle.pointer))
    }

    /// Waits until every queued message has its delivery report.
    ///
    /// - Throws: ``KafkaError`` with code `_TIMED_OUT` naming how many messages are still
    ///   outstanding after `timeout`.
    public func flush(timeout: Duration = .seconds(30)) async throws {
        try await runBlocking { [handle] in
            try Self.flushBlocking(handle: handle, timeout: timeout)
        }
    }

    private static func flushBlocking(handle: KafkaHandle, timeout: Duration) throws {
        let code = rd_kafka_flush(handle.pointer, timeout.clampedMilliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(
                code: code,
                operation: "flush Kafka producer",
                reason: "\(rd_kafka_outq_len(handle.pointer)) messages still await delivery after \(timeout)"
            )
        }
    }

    /// Delivers what is queued within `timeout`, fails the rest, and stops the producer.
    ///
    /// Messages still undelivered after `timeout` are purged, so their `send` calls throw
    /// `_PURGE_QUEUE` or `_PURGE_INFLIGHT`. Later `send` calls throw. Calling `close` again
    /// does nothing.
    public func close(timeout: Duration = .seconds(10)) async {
        let wasClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }

        let remaining: Int = await (try? runBlocking { [handle, pollLoop, deliveryTracker] in
            do {
                try Self.flushBlocking(handle: handle, timeout: timeout)
            } catch {
                kafkaLogger.warning("purging undelivered messages on close", ["error": .string("\(error)")])
                rd_kafka_purge(handle.pointer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
                // Purged messages get their failed delivery reports from the next polls.
                _ = rd_kafka_flush(handle.pointer, 1000)
            }
            pollLoop.stop()
            return deliveryTracker.pendingCount
        }) ?? 0

        deliveryTracker.failAll(with: KafkaError.clientClosed(operation: "deliver message"))
        kafkaLogger.info(
            "Kafka producer closed",
            ["client": .string(handle.name), "unreported_messages": .int(remaining)]
        )
    }
}
