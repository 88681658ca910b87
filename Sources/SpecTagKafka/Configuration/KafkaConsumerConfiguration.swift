import CRdKafka

// MARK: - Consumer configuration

/// Settings of a ``KafkaConsumer`` in a consumer group with manual offset handling.
///
/// ``librdkafkaProperties()`` turns the typed fields into librdkafka properties and then
/// applies ``additionalProperties`` on top, so pass-through properties win over the typed
/// defaults. The exception is `enable.auto.commit` and `enable.auto.offset.store`: the
/// consumer always sets both to `false`, because offsets must be committed only after the
/// application has finished a message, and rejects an attempt to turn them on.
public struct KafkaConsumerConfiguration: Sendable, CustomStringConvertible {
    /// `isolation.level`: which messages of transactional producers a consumer reads.
    public enum IsolationLevel: String, Sendable {
        /// Only messages of committed transactions, and non-transactional messages.
        case readCommitted = "read_committed"
        /// All messages, including those of open and aborted transactions.
        case readUncommitted = "read_uncommitted"
    }

    /// `auto.offset.reset`: where to start in a partition that has no committed offset.
    public enum AutoOffsetReset: String, Sendable {
        case earliest
        case latest
        /// Fail with an error instead of choosing a position.
        case error
    }

    /// `partition.assignment.strategy` names of librdkafka's assignors.
    public enum AssignmentStrategy: String, Sendable {
        case range
        case roundRobin = "roundrobin"
        /// The incremental (KIP-429) protocol: a rebalance revokes only the partitions
        /// that move, instead of all of them.
        case cooperativeSticky = "cooperative-sticky"
    }

    /// `bootstrap.servers` as `host:port` items. Empty leaves the property unset, which is
    /// only useful with `test.mock.num.brokers`.
    public var bootstrapServers: [String]
    /// `group.id`.
    public var groupID: String
    /// `client.id`, shown in broker logs and metrics.
    public var clientID: String = "spectag"
    /// `session.timeout.ms`: how long the coordinator waits for heartbeats before it
    /// removes the member from the group.
    public var sessionTimeout: Duration = .seconds(45)
    /// `heartbeat.interval.ms`; must be below ``sessionTimeout``, typically a third of it.
    public var heartbeatInterval: Duration = .seconds(3)
    /// `max.poll.interval.ms`: the longest time between two polls before the member
    /// leaves the group. ``KafkaConsumer/messages`` polls whenever its iterator requests
    /// the next message.
    public var maxPollInterval: Duration = .seconds(300)
    public var isolationLevel: IsolationLevel = .readCommitted
    /// Defaults to `earliest`, so a new group processes the backlog instead of skipping it.
    public var autoOffsetReset: AutoOffsetReset = .earliest
    /// Assignors in order of preference. Cooperative and eager assignors cannot be mixed.
    public var assignmentStrategies: [AssignmentStrategy] = [.range, .roundRobin]
    /// `statistics.interval.ms`; `nil` turns statistics off. Each report arrives as a
    /// ``KafkaConsumerEvent/statistics(_:)`` event.
    public var statisticsInterval: Duration?
    /// Whether the consumer commits the stored offsets synchronously when partitions are
    /// revoked in a rebalance, before they go to another member. Lost partitions are never
    /// committed, because another member may already own them.
    public var commitStoredOffsetsOnRevoke = true
    /// The maximum time a synchronous commit waits for the group coordinator's response: the
    /// commit before a revocation, ``KafkaConsumer/commit()`` and
    /// ``KafkaConsumer/commit(offsets:)``. A commit that times out fails with `_TIMED_OUT`.
    /// Stored offsets stay stored, so the next commit includes them.
    public var commitTimeout: Duration = .seconds(10)
    /// Called in an orderly rebalance with the partitions about to be revoked, before their
    /// stored offsets are committed and before they are released to another member. Lost
    /// partitions do not call it.
    ///
    /// The consumer is still assigned the partitions during the call, so offsets stored from
    /// any thread while it runs (``KafkaConsumer/storeOffsets(_:)``) are part of the commit that
    /// follows. This is the place to finish work in flight for those partitions.
    ///
    /// - Important: It runs on the consumer's poll thread and blocks the rebalance until it
    ///   returns: keep it bounded, well below ``maxPollInterval``, and do not poll or close
    ///   the consumer from it.
    public var revocationHandler: (@Sendable ([KafkaTopicPartition]) -> Void)?
    /// Any librdkafka properties, applied last; see the type's documentation.
    public var additionalProperties = KafkaProperties()

    public init(bootstrapServers: [String], groupID: String) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
    }

    /// Properties that the consumer sets and that ``additionalProperties`` may not turn on.
    static let fixedProperties: KafkaProperties = [
        "enable.auto.commit": "false",
        "enable.auto.offset.store": "false",
    ]

    /// Returns the complete librdkafka configuration: the typed fields, then
    /// ``additionalProperties``, then the fixed offset settings.
    ///
    /// - Throws: ``KafkaError`` with code `_INVALID_ARG` when ``additionalProperties`` sets
    ///   `enable.auto.commit` or `enable.auto.offset.store` to anything but `false`.
    public func librdkafkaProperties() throws -> KafkaProperties {
        var properties = KafkaProperties()
        if !bootstrapServers.isEmpty {
            properties["bootstrap.servers"] = bootstrapServers.joined(separator: ",")
        }
        properties["group.id"] = groupID
        properties["client.id"] = clientID
        properties["session.timeout.ms"] = String(sessionTimeout.clampedMilliseconds)
        properties["heartbeat.interval.ms"] = String(heartbeatInterval.clampedMilliseconds)
        properties["max.poll.interval.ms"] = String(maxPollInterval.clampedMilliseconds)
        properties["isolation.level"] = isolationLevel.rawValue
        properties["auto.offset.reset"] = autoOffsetReset.rawValue
        properties["partition.assignment.strategy"] = assignmentStrategies.map(\.rawValue).joined(separator: ",")
        if let statisticsInterval {
            properties["statistics.interval.ms"] = String(statisticsInterval.clampedMilliseconds)
        }

        for entry in KafkaConsumerConfiguration.fixedProperties.entries {
            if let requested = additionalProperties[entry.key], requested != entry.value {
                throw KafkaError(
                    code: RD_KAFKA_RESP_ERR__INVALID_ARG,
                    operation: "set librdkafka property \"\(entry.key)\"",
                    reason: "the consumer requires \(entry.key)=\(entry.value) because it stores and commits offsets only after the application has processed a message, but \"\(requested)\" was requested"
                )
            }
        }
        return properties.merging(additionalProperties).merging(KafkaConsumerConfiguration.fixedProperties)
    }

    /// The configuration as `key=value` lines, with secret values redacted.
    public var description: String {
        (try? librdkafkaProperties().description) ?? additionalProperties.description
    }
}
