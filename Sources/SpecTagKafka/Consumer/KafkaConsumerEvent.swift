import CRdKafka

// MARK: - Consumer events

/// Something that happened to a ``KafkaConsumer`` besides a message, delivered through
/// ``KafkaConsumer/events``.
///
/// Events are produced while the consumer polls, that is while something iterates
/// ``KafkaConsumer/messages`` or calls ``KafkaConsumer/poll(timeout:)``.
public enum KafkaConsumerEvent: Sendable {
    /// Partitions added to this member's assignment. With the eager protocol this is the
    /// whole new assignment; with the cooperative protocol only the added partitions.
    case partitionsAssigned([KafkaTopicPartition])
    /// Partitions taken away in an orderly rebalance. The event comes after
    /// ``KafkaConsumerConfiguration/revocationHandler`` returned and the stored offsets were
    /// committed (when ``KafkaConsumerConfiguration/commitStoredOffsetsOnRevoke`` is on). Work
    /// still in flight for them should be dropped, because storing its offsets now fails.
    case partitionsRevoked([KafkaTopicPartition])
    /// Partitions lost without a rebalance, for example after the session timed out.
    /// Another member may own them already, so nothing was committed; drop their work.
    case partitionsLost([KafkaTopicPartition])
    /// A statistics report; see ``KafkaConsumerConfiguration/statisticsInterval``.
    case statistics(KafkaStatistics)
    /// An error that did not stop the consumer, such as a broker connection failure, a
    /// consume error on one partition, or a failed commit during a rebalance.
    case error(KafkaError)
}

// MARK: - Group metadata

/// A consumer's group id, generation and member id, as needed by
/// ``KafkaProducer/sendOffsetsToTransaction(_:groupMetadata:timeout:)``.
///
/// It is a snapshot: take a fresh one after every rebalance.
public final class KafkaConsumerGroupMetadata: @unchecked Sendable {
    let pointer: OpaquePointer

    init(adopting pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        rd_kafka_consumer_group_metadata_destroy(pointer)
    }
}
