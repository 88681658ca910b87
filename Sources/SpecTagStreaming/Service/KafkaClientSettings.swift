import SpecTagKafka

// MARK: - Kafka client settings

extension ServiceConfiguration {
    /// Returns the input consumer's settings: manual offsets, `read_committed`, and commits
    /// of stored offsets on revocation unless offsets go through transactions.
    /// `revocationHandler` runs before revoked partitions are committed and released.
    ///
    /// - Throws: ``ServiceConfigurationError`` when client.properties cannot be read.
    public func consumerConfiguration(
        revocationHandler: (@Sendable ([KafkaTopicPartition]) -> Void)? = nil
    ) throws -> KafkaConsumerConfiguration {
        var consumer = KafkaConsumerConfiguration(bootstrapServers: brokers, groupID: groupID)
        consumer.clientID = clientID
        consumer.sessionTimeout = sessionTimeout
        consumer.heartbeatInterval = heartbeatInterval
        consumer.isolationLevel = .readCommitted
        consumer.autoOffsetReset = offsetReset == .earliest ? .earliest : .latest
        consumer.statisticsInterval = statisticsInterval > .zero ? statisticsInterval : nil
        consumer.commitStoredOffsetsOnRevoke = guarantee == .atLeastOnce
        consumer.revocationHandler = revocationHandler
        consumer.additionalProperties = try librdkafkaOverrides()
        return consumer
    }

    /// Returns the output producer's settings: idempotent, and transactional with `exactly_once`.
    ///
    /// - Throws: ``ServiceConfigurationError`` when client.properties cannot be read.
    public func producerConfiguration() throws -> KafkaProducerConfiguration {
        var producer = KafkaProducerConfiguration(bootstrapServers: brokers)
        producer.clientID = clientID
        producer.enableIdempotence = true
        producer.acknowledgements = .all
        producer.deliveryTimeout = .seconds(120)
        producer.linger = .milliseconds(5)
        if guarantee == .exactlyOnce {
            producer.transactionalID = effectiveTransactionalID
            // librdkafka requires message.timeout.ms <= transaction.timeout.ms.
            producer.transactionTimeout = .seconds(60)
            producer.deliveryTimeout = producer.transactionTimeout
        }
        producer.additionalProperties = try librdkafkaOverrides()
        return producer
    }

    /// Returns the settings of the admin client that creates the topics.
    ///
    /// - Throws: ``ServiceConfigurationError`` when client.properties cannot be read.
    public func adminConfiguration() throws -> KafkaAdminConfiguration {
        var admin = KafkaAdminConfiguration(bootstrapServers: brokers)
        admin.clientID = clientID + "-admin"
        admin.additionalProperties = try librdkafkaOverrides()
        return admin
    }

    /// The topics that the tagger reads and writes, as `create_topics` creates them.
    public var taggerTopics: [KafkaNewTopic] {
        [inputTopic, taggedTopic, entitySentimentTopic, deadLetterTopic].map { name in
            KafkaNewTopic(
                name: name,
                partitionCount: Int32(clamping: topicPartitions),
                replicationFactor: topicReplicationFactor.map { Int32(clamping: $0) }
            )
        }
    }
}
