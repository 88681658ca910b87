import Foundation
import SpecTagKafka
import SpecTagLogging

// MARK: - Exactly-once batches

/// Commits each processed batch with its input offsets in one Kafka transaction
/// (consume-transform-produce), for the `exactly_once` guarantee.
///
/// A failed transaction is aborted and the batch is sent again in a new one, after a
/// backoff and without the messages of partitions that were revoked meanwhile.
struct TransactionRunner: Sendable {
    let producer: KafkaProducer
    let consumer: KafkaConsumer
    let pipeline: Pipeline
    let publisher: OutputPublisher
    let backoff: RetryBackoff
    let metrics: ServiceMetrics
    let logger: Logger

    /// How often a retriable `commitTransaction` error is retried before the transaction is aborted.
    static let commitAttempts = 3

    /// Commits `batch` in a transaction and marks its items finished.
    ///
    /// Returns when the transaction committed, when every partition of the batch was
    /// revoked, or when the task is cancelled.
    /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/fatal``: the producer was fenced
    ///   or failed for good, and the service must stop. ``DeliveryGaveUpError`` when the
    ///   batch still fails after the publisher's `giveUpAfter`.
    func commit(_ batch: [ProcessedItem]) async throws {
        var attempt = 0
        let started = ContinuousClock.now
        while !Task.isCancelled {
            var current: [ProcessedItem] = []
            for item in batch where await pipeline.isCurrent(item.item.ticket) {
                current.append(item)
            }
            guard !current.isEmpty else { return }
            let offsets = await pipeline.transactionOffsets(for: current)
            do {
                try await runTransaction(records: current.flatMap(\.records), offsets: offsets)
                await pipeline.finish(current)
                if attempt > 0 {
                    logger.info("transaction committed after retries", ["retries": .int(attempt), "offsets": .string(describe(offsets))])
                }
                return
            } catch let error as KafkaError where error.isFatal {
                throw error
            } catch {
                attempt += 1
                if let gaveUp = publisher.giveUpError(since: started, attempts: attempt, lastError: error) {
                    try await abort()
                    throw gaveUp
                }
                metrics.recordRetry("transaction")
                let delay = backoff.delay(attempt: attempt)
                logger.rateLimited(key: "transaction-retry", every: 5).warning("transaction failed; aborting and retrying the batch", [
                    "error": .string("\(error)"),
                    "offsets": .string(describe(offsets)),
                    "messages": .int(current.count),
                    "attempt": .int(attempt),
                    "retry_in_ms": .int(Int(delay.milliseconds)),
                ])
                try await abort()
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    return
                }
            }
        }
    }

    private func runTransaction(records: [OutgoingRecord], offsets: [KafkaTopicPartition: Int64]) async throws {
        try producer.beginTransaction()
        let failures = await publisher.sendAll(records)
        if let failure = failures.first {
            throw failure.error
        }
        if !offsets.isEmpty {
            try await producer.sendOffsetsToTransaction(offsets, groupMetadata: consumer.groupMetadata())
        }
        var commitAttempt = 1
        while true {
            do {
                try await producer.commitTransaction()
                return
            } catch let error as KafkaError where error.isRetriable && commitAttempt < Self.commitAttempts {
                commitAttempt += 1
                logger.warning("committing the transaction failed; retrying the commit", ["error": .string(error.description)])
            }
        }
    }

    /// Aborts the open transaction. An abort without an open transaction fails harmlessly
    /// and is only logged.
    ///
    /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/fatal``.
    private func abort() async throws {
        do {
            try await producer.abortTransaction()
        } catch let error as KafkaError where error.isFatal {
            throw error
        } catch {
            logger.debug("aborting the transaction failed", ["error": .string("\(error)")])
        }
    }
}
