import Foundation
import SpecTagAlerts
import SpecTagKafka

// MARK: - Choices

/// The delivery guarantee between consumed messages and committed outputs.
public enum ProcessingGuarantee: String, Sendable, CaseIterable {
    /// Outputs are delivered before the input offset is committed; a crash can repeat outputs.
    case atLeastOnce = "at_least_once"
    /// Outputs and input offsets are committed in one Kafka transaction per batch; a
    /// `read_committed` reader sees every output once.
    case exactlyOnce = "exactly_once"
}

/// The stages that a `spectag serve` process runs.
public enum ServiceRole: String, Sendable, CaseIterable {
    /// The tagger and the alert stage.
    case all
    /// Only the tagger.
    case tagger
    /// Only the alert stage, which reads the entity-sentiment topic.
    case alerts
}

/// `auto.offset.reset` of the input consumer.
public enum OffsetReset: String, Sendable, CaseIterable {
    case earliest
    case latest
}

// MARK: - Service configuration

/// Every setting of `spectag serve`. ``ServiceSettings/all`` lists them with their keys,
/// environment variables and flags; ``ServiceConfigurationLoader`` fills them from a JSON
/// file, the environment and the command line.
public struct ServiceConfiguration: Sendable, Equatable {
    // Kafka connection
    public var brokers: [String] = ["127.0.0.1:9092"]
    public var groupID = "spectag"
    public var clientID = "spectag"
    /// A Java-style properties file applied on top of the typed Kafka settings.
    public var clientPropertiesFile: String?
    /// `-X` properties, applied last.
    public var kafkaProperties = KafkaProperties()
    public var sessionTimeout: Duration = .seconds(10)
    public var heartbeatInterval: Duration = .seconds(3)
    /// `statistics.interval.ms`; zero turns statistics and the lag metric off.
    public var statisticsInterval: Duration = .seconds(5)
    public var offsetReset: OffsetReset = .earliest

    // Topics
    public var inputTopic = "news"
    public var taggedTopic = "news.tagged"
    public var entitySentimentTopic = "news.entity-sentiment"
    public var deadLetterTopic = "news.dead-letter"
    public var alertsTopic = "news.alerts"
    public var alertsChangelogTopic = "news.alerts.changelog"
    public var createTopics = true
    public var topicPartitions = 3
    /// `nil` uses the broker's `default.replication.factor`.
    public var topicReplicationFactor: Int?

    // Processing
    public var guarantee: ProcessingGuarantee = .atLeastOnce
    /// `nil` derives `spectag-<group id>-<host name>`.
    public var transactionalID: String?
    public var maxBatchMessages = 32
    public var maxBatchCharacters = 32_768
    public var maxBatchWait: Duration = .milliseconds(20)
    public var maxInFlightMessages = 256
    public var maxMessageBytes = 1_048_576
    public var maxDeadLetterValueBytes = 262_144
    public var commitInterval: Duration = .seconds(1)
    public var shutdownTimeout: Duration = .seconds(30)
    /// How long a rebalance waits for the messages of revoked partitions to be delivered
    /// before their offsets are committed and the partitions move to another instance.
    public var rebalanceDrainTimeout: Duration = .seconds(10)
    public var retryBackoff: Duration = .milliseconds(100)
    public var retryBackoffMax: Duration = .seconds(10)
    /// How long the outputs of one message (with `exactly_once`, the transaction of one batch)
    /// may keep failing before the service stops, so that a restart replaces a Kafka producer
    /// that cannot recover. Zero retries forever.
    public var deliveryGiveUp: Duration = .seconds(300)

    // Operations
    public var metricsAddress = "127.0.0.1:9464"
    public var role: ServiceRole = .all
    /// The alert stage's settings from the `alerts` object of the configuration file. Its
    /// topics come from the top-level topic settings; see ``alertStageConfiguration()``.
    public var alerts = AlertConfiguration()

    // Model
    public var modelPath: String?
    public var drafter = "head"
    public var lexicalDrafterPath: String?
    public var maxDraft = 8
    public var taggerBatchSize = 32

    public init() {}

    /// The output topics of the tagger.
    public var outputTopics: OutputTopics {
        OutputTopics(tagged: taggedTopic, entitySentiment: entitySentimentTopic, deadLetter: deadLetterTopic)
    }

    /// The transactional id used with `exactly_once`.
    public var effectiveTransactionalID: String {
        transactionalID ?? "spectag-\(groupID)-\(ProcessInfo.processInfo.hostName)"
    }
}

// MARK: - Alert stage

extension ServiceConfiguration {
    /// Returns the alert stage's configuration: ``alerts`` with the service's topics,
    /// brokers, Kafka properties, group timeouts and `create_topics`.
    ///
    /// - Throws: ``ServiceConfigurationError`` when client.properties cannot be read.
    public func alertStageConfiguration() throws -> AlertStageConfiguration {
        var alerts = self.alerts
        alerts.topics.entitySentiment = entitySentimentTopic
        alerts.topics.alerts = alertsTopic
        alerts.topics.changelog = alertsChangelogTopic
        alerts.topics.deadLetter = deadLetterTopic
        alerts.createTopics = createTopics
        var stage = AlertStageConfiguration(bootstrapServers: brokers, alerts: alerts, kafkaProperties: try librdkafkaOverrides())
        stage.clientID = clientID + "-alerts"
        stage.sessionTimeout = sessionTimeout
        stage.heartbeatInterval = heartbeatInterval
        stage.replicationFactor = topicReplicationFactor.map { Int32(clamping: $0) }
        return stage
    }
}
