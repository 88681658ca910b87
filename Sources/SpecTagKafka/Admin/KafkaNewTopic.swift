// MARK: - Topic descriptions

/// A topic to create with ``KafkaAdminClient/createTopics(_:ignoreExisting:timeout:)``.
public struct KafkaNewTopic: Sendable, Equatable {
    public var name: String
    /// Number of partitions, at least 1.
    public var partitionCount: Int32
    /// Copies of each partition, at least 1; `nil` uses the broker's `default.replication.factor`.
    public var replicationFactor: Int32?
    /// Topic configuration, such as `["cleanup.policy": "compact"]`.
    public var configs: [String: String]

    public init(name: String, partitionCount: Int32, replicationFactor: Int32? = nil, configs: [String: String] = [:]) {
        self.name = name
        self.partitionCount = partitionCount
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// A topic as the cluster metadata describes it.
public struct KafkaTopicMetadata: Sendable, Equatable {
    public let name: String
    public let partitionCount: Int
    /// The topic-level error the broker reported, such as `UNKNOWN_TOPIC_OR_PART`.
    public let error: KafkaError?

    public static func == (lhs: KafkaTopicMetadata, rhs: KafkaTopicMetadata) -> Bool {
        lhs.name == rhs.name && lhs.partitionCount == rhs.partitionCount && lhs.error?.code == rhs.error?.code
    }
}
