import Foundation
import SpecTagKafka
import SpecTagLogging

// MARK: - Delivery with retries

/// Sends records and waits for their delivery reports, retrying failed ones with backoff.
struct OutputPublisher: Sendable {
    let producer: KafkaProducer
    let backoff: RetryBackoff
    /// How long failed deliveries are retried before ``deliver(_:context:shouldContinue:)``
    /// throws ``DeliveryGaveUpError``; `nil` retries until the partition is revoked.
    var giveUpAfter: Duration? = nil
    let metrics: ServiceMetrics
    let logger: Logger

    enum Outcome: Sendable, Equatable {
        /// Every record has a successful delivery report.
        case delivered
        /// `shouldContinue` returned false or the task was cancelled before all were delivered.
        case abandoned
    }

    /// Sends `records` at once and retries the failed ones until all are delivered.
    ///
    /// Before each retry it calls `shouldContinue`, which returns false once the input
    /// message's partition was revoked, and stops when the task is cancelled.
    /// - Parameter context: metadata for log lines, such as the message id and offset.
    /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/fatal``: the producer cannot send
    ///   any more and the service must stop. ``DeliveryGaveUpError`` when the records still
    ///   fail after ``giveUpAfter``: the producer may be stuck (a broker that lost its state
    ///   rejects the idempotent producer's id, for example), so the service must stop too.
    func deliver(
        _ records: [OutgoingRecord],
        context: LogMetadata,
        shouldContinue: @Sendable () async -> Bool
    ) async throws -> Outcome {
        var remaining = records
        var attempt = 0
        let started = ContinuousClock.now
        while true {
            let failures = await sendAll(remaining)
            if failures.isEmpty {
                if attempt > 0 {
                    logger.info("delivery succeeded after retries", context.merging(["retries": .int(attempt)]) { $1 })
                }
                return .delivered
            }
            if let fatal = failures.compactMap({ $0.error as? KafkaError }).first(where: \.isFatal) {
                throw fatal
            }
            attempt += 1
            if let gaveUp = giveUpError(since: started, attempts: attempt, lastError: failures[0].error) {
                throw gaveUp
            }
            let delay = backoff.delay(attempt: attempt)
            metrics.recordRetry("deliver")
            var metadata = context
            metadata["error"] = .string("\(failures[0].error)")
            metadata["failed_records"] = .int(failures.count)
            metadata["topics"] = .string(Set(failures.map(\.record.topic)).sorted().joined(separator: ","))
            metadata["attempt"] = .int(attempt)
            metadata["retry_in_ms"] = .int(Int(delay.milliseconds))
            logger.rateLimited(key: "delivery-retry", every: 5).warning("delivery failed; retrying", metadata)

            do {
                try await Task.sleep(for: delay)
            } catch {
                return .abandoned
            }
            guard await shouldContinue() else { return .abandoned }
            remaining = failures.map(\.record)
        }
    }

    /// Returns the error that ends the retries when ``giveUpAfter`` has passed since `started`,
    /// or `nil` while retrying may go on.
    func giveUpError(since started: ContinuousClock.Instant, attempts: Int, lastError: any Error) -> DeliveryGaveUpError? {
        guard let giveUpAfter, ContinuousClock.now - started >= giveUpAfter else { return nil }
        return DeliveryGaveUpError(attempts: attempts, duration: giveUpAfter, lastError: "\(lastError)")
    }

    /// A record whose send failed, with the error.
    struct Failure: Sendable {
        let record: OutgoingRecord
        let error: any Error
    }

    /// Sends all records concurrently and returns those that failed.
    func sendAll(_ records: [OutgoingRecord]) async -> [Failure] {
        await withTaskGroup(of: Failure?.self) { group in
            for record in records {
                group.addTask {
                    do {
                        _ = try await producer.send(topic: record.topic, key: record.key, value: record.value)
                        return nil
                    } catch {
                        return Failure(record: record, error: error)
                    }
                }
            }
            var failures: [Failure] = []
            for await failure in group {
                if let failure { failures.append(failure) }
            }
            return failures
        }
    }
}

/// The error that ends the retries when outputs were not delivered within `delivery_give_up_ms`.
struct DeliveryGaveUpError: Error, CustomStringConvertible {
    let attempts: Int
    let duration: Duration
    let lastError: String

    var description: String {
        "outputs not delivered after \(attempts) attempts in \(duration.milliseconds) ms (delivery_give_up_ms); "
            + "last error: \(lastError). Their input offsets stay uncommitted, so a restart processes those messages again"
    }
}
