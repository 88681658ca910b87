import Dispatch
import SpecTagKafka
import SpecTagLogging

// MARK: - Revocation drain

/// Finishes the work of partitions that a rebalance is about to revoke, from the consumer's
/// revocation handler.
///
/// librdkafka calls the handler on the consumer's poll thread and waits for it before it
/// commits the stored offsets and releases the partitions. ``partitionsWillBeRevoked(_:)``
/// blocks that thread while the pipeline delivers what is in flight for those partitions,
/// so their committed offsets cover everything this instance has delivered and the next
/// owner repeats nothing.
///
/// The consumer exists before the pipeline, so the pipeline is attached afterwards; a
/// revocation before ``attach(_:)`` has nothing to finish.
final class RevocationDrain: Sendable {
    private let pipeline = Locked<Pipeline?>(nil)
    private let timeout: Duration
    private let logger: Logger

    /// - Parameter timeout: the longest time one revocation waits; see
    ///   ``ServiceConfiguration/rebalanceDrainTimeout``.
    init(timeout: Duration, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func attach(_ pipeline: Pipeline) {
        self.pipeline.withLock { $0 = pipeline }
    }

    /// Waits until the pipeline has delivered the messages of `partitions` or the timeout
    /// has passed, and logs the outcome.
    ///
    /// - Important: It blocks the calling thread, so call it only from a thread outside
    ///   Swift's cooperative pool, such as the consumer's poll thread.
    func partitionsWillBeRevoked(_ partitions: [KafkaTopicPartition]) {
        guard let pipeline = pipeline.withLock({ $0 }), !partitions.isEmpty else { return }
        let clock = ContinuousClock()
        let started = clock.now
        let done = DispatchSemaphore(value: 0)
        let remaining = Locked(0)
        let timeout = timeout
        Task {
            let left = await pipeline.finishRevoked(Set(partitions), timeout: timeout)
            remaining.withLock { $0 = left }
            done.signal()
        }
        done.wait()

        let left = remaining.withLock { $0 }
        let metadata: LogMetadata = [
            "partitions": .string(partitions.sorted().map(\.description).joined(separator: ",")),
            "still_in_flight": .int(left),
            "duration_ms": .int(Int((clock.now - started).milliseconds)),
            "rebalance_drain_timeout_ms": .int(Int(timeout.milliseconds)),
        ]
        if left == 0 {
            logger.info("finished the messages of partitions being revoked", metadata)
        } else {
            logger.warning("rebalance drain timeout reached; the new owner processes the remaining messages again", metadata)
        }
    }
}
