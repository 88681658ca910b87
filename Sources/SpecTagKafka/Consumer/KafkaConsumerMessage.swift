import CRdKafka
import Foundation

// MARK: - Consumed message

/// A message read by a ``KafkaConsumer``, copied out of librdkafka's buffers.
public struct KafkaConsumerMessage: Sendable, Equatable {
    public let topic: String
    public let partition: Int32
    public let offset: Int64
    /// `nil` for a null key.
    public let key: Data?
    /// `nil` for a null value (a tombstone).
    public let value: Data?
    public let headers: [KafkaHeader]
    /// The record timestamp, when the record has one.
    public let timestamp: Date?

    public init(
        topic: String,
        partition: Int32,
        offset: Int64,
        key: Data?,
        value: Data?,
        headers: [KafkaHeader] = [],
        timestamp: Date? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    public var topicPartition: KafkaTopicPartition {
        KafkaTopicPartition(topic: topic, partition: partition)
    }

    /// The offset to commit once this message is processed: Kafka commits the next
    /// offset to read, not the last one read.
    public var nextOffset: Int64 { offset + 1 }
}

// MARK: - Copy from librdkafka

extension KafkaConsumerMessage {
    /// Copies a message that has no error.
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let native = message.pointee
        let topic = native.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &timestampType)
        self.init(
            topic: topic,
            partition: native.partition,
            offset: native.offset,
            key: Self.copyBytes(native.key, count: native.key_len),
            value: Self.copyBytes(native.payload, count: native.len),
            headers: Self.copyHeaders(of: message),
            timestamp: milliseconds >= 0 ? Date(timeIntervalSince1970: Double(milliseconds) / 1000) : nil
        )
    }

    private static func copyBytes(_ pointer: UnsafeRawPointer?, count: Int) -> Data? {
        guard let pointer else { return nil }
        return Data(bytes: pointer, count: count)
    }

    private static func copyBytes(_ pointer: UnsafeMutableRawPointer?, count: Int) -> Data? {
        copyBytes(pointer.map { UnsafeRawPointer($0) }, count: count)
    }

    private static func copyHeaders(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var nativeHeaders: OpaquePointer?
        guard rd_kafka_message_headers(message, &nativeHeaders) == RD_KAFKA_RESP_ERR_NO_ERROR,
              let nativeHeaders else {
            return []
        }
        var headers: [KafkaHeader] = []
        var index = 0
        while true {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            guard rd_kafka_header_get_all(nativeHeaders, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR
            else { break }
            headers.append(KafkaHeader(
                name: name.map { String(cString: $0) } ?? "",
                value: copyBytes(value, count: size)
            ))
            index += 1
        }
        return headers
    }
}
