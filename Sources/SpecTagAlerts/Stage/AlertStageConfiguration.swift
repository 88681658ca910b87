import SpecTagKafka

// MARK: - Stage configuration

/// Everything an ``AlertStage`` needs: the JSON-configurable ``alerts`` settings and the
/// Kafka connection.
public struct AlertStageConfiguration: Sendable {
    /// Topics, group, windows, lateness, rules and cooldowns.
    public var alerts: AlertConfiguration
    /// `bootstrap.servers` as `host:port` items.
    public var bootstrapServers: [String]
    /// librdkafka properties applied to every client of the stage (consumers, producer,
    /// admin), such as security settings.
    public var kafkaProperties: KafkaProperties
    /// librdkafka properties applied last to the consumers only, such as
    /// `session.timeout.ms`. The consumers reject `enable.auto.commit=true`.
    public var consumerProperties = KafkaProperties()
    /// librdkafka properties applied last to the producer only, such as `linger.ms`.
    public var producerProperties = KafkaProperties()
    /// `client.id` prefix of the stage's clients.
    public var clientID = "spectag-alerts"
    /// `session.timeout.ms` of the stage's group consumer. Tansu delays a group's first join by
    /// about half of it, so a short value starts the stage sooner there.
    public var sessionTimeout: Duration = .seconds(45)
    /// `heartbeat.interval.ms` of the stage's group consumer; keep it below a third of
    /// ``sessionTimeout``.
    public var heartbeatInterval: Duration = .seconds(3)
    /// Replication factor of the topics the stage creates; `nil` uses the broker default.
    public var replicationFactor: Int32?

    public init(
        bootstrapServers: [String],
        alerts: AlertConfiguration = AlertConfiguration(),
        kafkaProperties: KafkaProperties = KafkaProperties()
    ) {
        self.bootstrapServers = bootstrapServers
        self.alerts = alerts
        self.kafkaProperties = kafkaProperties
    }

    // MARK: Client configurations

    func consumerConfiguration() -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, groupID: alerts.groupID)
        configuration.clientID = clientID
        configuration.sessionTimeout = sessionTimeout
        configuration.heartbeatInterval = heartbeatInterval
        configuration.autoOffsetReset = .earliest
        configuration.isolationLevel = .readCommitted
        configuration.commitStoredOffsetsOnRevoke = true
        configuration.additionalProperties = kafkaProperties.merging(consumerProperties)
        return configuration
    }

    /// Returns the settings of a consumer in a group of its own that reads the changelog
    /// topic once and commits nothing. Its session timeout is short, because Tansu delays
    /// the first join of a group by about half of it.
    func restoreConsumerConfiguration(groupID: String) -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, groupID: groupID)
        configuration.clientID = clientID + "-restore"
        configuration.autoOffsetReset = .earliest
        configuration.isolationLevel = .readCommitted
        configuration.sessionTimeout = .seconds(10)
        configuration.heartbeatInterval = .seconds(1)
        configuration.commitStoredOffsetsOnRevoke = false
        configuration.additionalProperties = kafkaProperties.merging(consumerProperties)
        return configuration
    }

    func producerConfiguration() -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrapServers)
        configuration.clientID = clientID
        configuration.enableIdempotence = true
        configuration.acknowledgements = .all
        configuration.deliveryTimeout = .seconds(60)
        configuration.additionalProperties = kafkaProperties.merging(producerProperties)
        return configuration
    }

    func adminConfiguration() -> KafkaAdminConfiguration {
        var configuration = KafkaAdminConfiguration(bootstrapServers: bootstrapServers)
        configuration.clientID = clientID + "-admin"
        configuration.additionalProperties = kafkaProperties
        return configuration
    }
}
