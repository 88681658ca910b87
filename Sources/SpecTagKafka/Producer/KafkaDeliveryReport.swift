import Foundation

// MARK: - Messages and delivery reports

/// A Kafka record header. A `nil` value is a header without value, not an empty one.
public struct KafkaHeader: Sendable, Equatable {
    public var name: String
    public var value: Data?

    public init(name: String, value: Data?) {
        self.name = name
        self.value = value
    }
}

/// Topic, partition and offset of a message that the broker acknowledged.
public struct KafkaDeliveryReport: Sendable, Equatable {
    public let topic: String
    public let partition: Int32
    public let offset: Int64
    /// The record timestamp, when the broker returned one.
    public let timestamp: Date?

    public init(topic: String, partition: Int32, offset: Int64, timestamp: Date?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
    }
}
