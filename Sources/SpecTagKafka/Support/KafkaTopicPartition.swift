import CRdKafka

// MARK: - Topic partition

/// One partition of one topic.
public struct KafkaTopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }

    public static func < (lhs: KafkaTopicPartition, rhs: KafkaTopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }
}

/// librdkafka's special offset values.
enum KafkaOffset {
    /// `RD_KAFKA_OFFSET_INVALID`: no offset, for example no committed offset yet.
    static let invalid: Int64 = -1001
}

// MARK: - rd_kafka_topic_partition_list_t

/// One element of a native topic partition list, copied out of C memory.
struct NativeTopicPartition {
    var topicPartition: KafkaTopicPartition
    var offset: Int64
    var error: rd_kafka_resp_err_t
}

/// A native topic partition list that frees itself.
final class NativeTopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// Makes a list of `partitions`, each with `offset` or `RD_KAFKA_OFFSET_INVALID`.
    init(_ partitions: [(KafkaTopicPartition, Int64?)]) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: max(partitions.count, 1)))
        for (topicPartition, offset) in partitions {
            let element = rd_kafka_topic_partition_list_add(pointer, topicPartition.topic, topicPartition.partition)
            element?.pointee.offset = offset ?? KafkaOffset.invalid
        }
    }

    convenience init(partitions: [KafkaTopicPartition]) {
        self.init(partitions.map { ($0, nil) })
    }

    convenience init(offsets: [KafkaTopicPartition: Int64]) {
        self.init(offsets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Takes ownership of a list that librdkafka allocated.
    init(adopting pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    var elements: [NativeTopicPartition] {
        Self.elements(of: pointer)
    }

    /// Copies the elements of a list that this code does not own.
    static func elements(of list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [NativeTopicPartition] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return [] }
        return (0..<count).map { index in
            let element = elements[index]
            return NativeTopicPartition(
                topicPartition: KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition),
                offset: element.offset,
                error: element.err
            )
        }
    }

    /// Throws the first per-partition error of the list, naming the partition.
    func throwFirstPartitionError(operation: String) throws {
        try Self.throwFirstError(of: elements, operation: operation)
    }

    /// Throws the first per-partition error among `elements`, naming the partition.
    static func throwFirstError(of elements: [NativeTopicPartition], operation: String) throws {
        if let failed = elements.first(where: { $0.error != RD_KAFKA_RESP_ERR_NO_ERROR }) {
            throw KafkaError(code: failed.error, operation: "\(operation) for \(failed.topicPartition)")
        }
    }

    /// The offsets of the list, leaving out partitions with an error or no valid offset.
    var validOffsets: [KafkaTopicPartition: Int64] {
        var offsets: [KafkaTopicPartition: Int64] = [:]
        for element in elements where element.error == RD_KAFKA_RESP_ERR_NO_ERROR && element.offset >= 0 {
            offsets[element.topicPartition] = element.offset
        }
        return offsets
    }
}
