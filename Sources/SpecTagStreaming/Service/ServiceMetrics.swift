import Foundation
import SpecTagKafka
import SpecTagMetrics

// MARK: - Service metrics

/// The Prometheus metrics of the tagging service, registered in one ``MetricsRegistry``.
///
/// | metric | type | labels |
/// |---|---|---|
/// | `spectag_messages_total` | counter | `topic`, `direction` (`in` or `out`) |
/// | `spectag_dead_letters_total` | counter | `reason` (the dead-letter `error_code`) |
/// | `spectag_batch_size` | histogram | |
/// | `spectag_tagging_seconds` | histogram | |
/// | `spectag_end_to_end_seconds` | histogram | |
/// | `spectag_draft_tokens_total`, `spectag_accepted_tokens_total` | counter | |
/// | `spectag_consumer_lag` | gauge | `topic`, `partition` |
/// | `spectag_in_flight_messages` | gauge | |
/// | `spectag_paused` | gauge | |
/// | `spectag_retries_total` | counter | `operation` (`deliver`, `transaction`, `commit`) |
public final class ServiceMetrics: Sendable {
    public let registry: MetricsRegistry
    let batchSize: Histogram
    let taggingSeconds: Histogram
    let endToEndSeconds: Histogram
    let draftTokens: Counter
    let acceptedTokens: Counter
    let inFlight: Gauge
    let paused: Gauge

    static let batchSizeBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
    static let endToEndBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    /// Registers the metrics.
    ///
    /// - Throws: ``MetricsError`` when `registry` already has one of these names with
    ///   another type, help text or label names.
    public init(registry: MetricsRegistry) throws {
        self.registry = registry
        batchSize = try registry.histogram(
            "spectag_batch_size", help: "Messages per tagging batch.", buckets: Self.batchSizeBuckets
        )
        taggingSeconds = try registry.histogram(
            "spectag_tagging_seconds", help: "Wall-clock time of tagging one batch, in seconds."
        )
        endToEndSeconds = try registry.histogram(
            "spectag_end_to_end_seconds",
            help: "Time from the input record's timestamp to the delivery of all its outputs, in seconds.",
            buckets: Self.endToEndBuckets
        )
        draftTokens = try registry.counter("spectag_draft_tokens_total", help: "Tags proposed by the drafter.")
        acceptedTokens = try registry.counter("spectag_accepted_tokens_total", help: "Drafted tags that the target model accepted.")
        inFlight = try registry.gauge("spectag_in_flight_messages", help: "Messages read and not yet finished.")
        paused = try registry.gauge("spectag_paused", help: "1 while the input partitions are paused because too many messages are in flight.")
        for reason in DeadLetterReason.allCases {
            _ = try deadLetterCounter(reason)
        }
    }

    // MARK: Labelled metrics

    func messagesCounter(topic: String, direction: String) throws -> Counter {
        try registry.counter(
            "spectag_messages_total",
            help: "Messages read from (direction in) or delivered to (direction out) a topic.",
            labels: ["topic": topic, "direction": direction]
        )
    }

    func deadLetterCounter(_ reason: DeadLetterReason) throws -> Counter {
        try registry.counter(
            "spectag_dead_letters_total",
            help: "Messages sent to the dead-letter topic, by reason.",
            labels: ["reason": reason.rawValue]
        )
    }

    func retriesCounter(_ operation: String) throws -> Counter {
        try registry.counter(
            "spectag_retries_total",
            help: "Retries of failed deliveries, transactions and commits.",
            labels: ["operation": operation]
        )
    }

    // MARK: Recording

    func recordConsumed(topic: String) {
        try? messagesCounter(topic: topic, direction: "in").increment()
    }

    func recordDelivered(_ records: [OutgoingRecord]) {
        for record in records {
            try? messagesCounter(topic: record.topic, direction: "out").increment()
        }
    }

    func recordDeadLetter(_ reason: DeadLetterReason) {
        try? deadLetterCounter(reason).increment()
    }

    func recordRetry(_ operation: String) {
        try? retriesCounter(operation).increment()
    }

    /// Sets `spectag_consumer_lag` for every partition of `topic` in the report whose lag is known.
    func recordLag(_ statistics: KafkaStatistics, topic: String) {
        for (partition, report) in statistics.topics[topic] ?? [:] where report.consumerLag >= 0 {
            let gauge = try? registry.gauge(
                "spectag_consumer_lag",
                help: "Messages between the committed offset and the end of an input partition, from librdkafka statistics.",
                labels: ["topic": topic, "partition": String(partition)]
            )
            gauge?.set(Double(report.consumerLag))
        }
    }
}
