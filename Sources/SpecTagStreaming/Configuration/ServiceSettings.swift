// MARK: - The settings table

/// The settings of `spectag serve`, in the order help text and `docs/configuration.md` list
/// them.
///
/// Two more inputs are not in this table because they are not single values: the file
/// itself (`--config`, `SPECTAG_CONFIG`) and librdkafka pass-through properties
/// (`kafka_properties` in the file, `SPECTAG_KAFKA_PROPERTIES` as `key=value` pairs separated
/// by `;`, and repeated `-X key=value` flags).
public enum ServiceSettings {
    public static let all: [ServiceSetting] = kafka + topics + processing + operations + model

    /// Returns the setting with `key`, or `nil`.
    public static func setting(_ key: String) -> ServiceSetting? {
        all.first { $0.key == key }
    }

    static let kafka: [ServiceSetting] = [
        ServiceSetting(
            key: "brokers", valueName: "host:port,...",
            help: "Kafka bootstrap servers, separated by commas; an array of strings in the configuration file. bootstrap.servers from client_properties or -X wins over it.",
            defaultDescription: "127.0.0.1:9092", isBoolean: false
        ) { configuration, text in
            let brokers = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !brokers.isEmpty else { throw SettingValueError(problem: "no broker address is given") }
            configuration.brokers = brokers
        },
        .string("group_id", help: "Consumer group of the tagger; instances with the same group share the input partitions.", \.groupID),
        .string("client_id", help: "Kafka client.id, shown in broker logs.", \.clientID),
        .optionalString("client_properties", valueName: "file", help: "Java-style client.properties file with librdkafka properties such as security.protocol and sasl.*; applied after the typed settings, before -X.", \.clientPropertiesFile),
        .milliseconds("session_timeout_ms", help: "Kafka session.timeout.ms: the group removes a member without heartbeats for this long.", range: 1000...3_600_000, \.sessionTimeout),
        .milliseconds("heartbeat_interval_ms", help: "Kafka heartbeat.interval.ms; must be below session_timeout_ms.", range: 100...3_600_000, \.heartbeatInterval),
        .milliseconds("statistics_interval_ms", help: "Interval of librdkafka statistics, the source of spectag_consumer_lag; 0 turns them off.", range: 0...86_400_000, \.statisticsInterval),
        .choice("auto_offset_reset", help: "Where a group without a committed offset starts reading the input topic.", \.offsetReset),
    ]

    static let topics: [ServiceSetting] = [
        .string("input_topic", help: "Topic of incoming news messages.", \.inputTopic),
        .string("tagged_topic", help: "Topic of tagged messages, keyed by message id.", \.taggedTopic),
        .string("entity_sentiment_topic", help: "Topic of per-mention entity sentiment records, keyed by entity_key.", \.entitySentimentTopic),
        .string("dead_letter_topic", help: "Topic of messages that could not be tagged, with the reason.", \.deadLetterTopic),
        .string("alerts_topic", help: "Topic of alerts from the alert stage.", \.alertsTopic),
        .string("alerts_changelog_topic", help: "Compacted topic of the alert stage's state.", \.alertsChangelogTopic),
        .boolean("create_topics", help: "Create the tagger's topics at start with the admin API; existing topics are kept as they are.", \.createTopics),
        .integer("topic_partitions", help: "Partitions of topics that create_topics creates.", range: 1...10_000, \.topicPartitions),
        ServiceSetting(
            key: "topic_replication_factor", valueName: "n",
            help: "Replication factor of topics that create_topics creates; -1 uses the broker's default.",
            defaultDescription: "-1", isBoolean: false
        ) { configuration, text in
            let factor = try ServiceSetting.parseInteger(text, range: -1...100)
            guard factor != 0 else { throw SettingValueError(problem: "0 is not a replication factor; use -1 for the broker's default") }
            configuration.topicReplicationFactor = factor == -1 ? nil : factor
        },
    ]

    static let processing: [ServiceSetting] = [
        .choice("guarantee", help: "at_least_once commits an input offset after its outputs are delivered; exactly_once commits outputs and offsets in one Kafka transaction per batch.", \.guarantee),
        .optionalString("transactional_id", valueName: "id", help: "Kafka transactional.id for exactly_once; default spectag-<group_id>-<host name>. Each running instance needs its own.", \.transactionalID),
        .integer("max_batch_messages", help: "Messages tagged together in one batch.", range: 1...100_000, \.maxBatchMessages),
        .integer("max_batch_characters", help: "Characters (Unicode code points of headline and body) per batch; a longer message forms a batch alone.", range: 1...1_000_000_000, \.maxBatchCharacters),
        .milliseconds("max_batch_wait_ms", help: "Maximum time the first message of a batch waits for more.", range: 0...60_000, \.maxBatchWait),
        .integer("max_in_flight_messages", help: "Messages read but not yet finished; at this limit the input partitions are paused until half have finished.", range: 1...1_000_000, \.maxInFlightMessages),
        .integer("max_message_bytes", valueName: "bytes", help: "Input values larger than this go to the dead-letter topic as too_large.", range: 1...1_073_741_824, \.maxMessageBytes),
        .integer("max_dead_letter_value_bytes", valueName: "bytes", help: "Bytes of the original value kept in a dead-letter record; the rest is cut and value_truncated is set.", range: 0...1_073_741_824, \.maxDeadLetterValueBytes),
        .milliseconds("commit_interval_ms", help: "Interval of offset commits with at_least_once.", range: 10...3_600_000, \.commitInterval),
        .milliseconds("shutdown_timeout_ms", help: "Maximum time a graceful shutdown waits for messages in flight before it commits and exits.", range: 0...3_600_000, \.shutdownTimeout),
        .milliseconds("rebalance_drain_timeout_ms", help: "Maximum time a rebalance waits for the messages of revoked partitions to be delivered before it commits their offsets and hands them over; what is left is processed again by the new owner.", range: 0...240_000, \.rebalanceDrainTimeout),
        .milliseconds("retry_backoff_ms", help: "First wait before a failed delivery or transaction is retried; it doubles on each retry.", range: 1...3_600_000, \.retryBackoff),
        .milliseconds("retry_backoff_max_ms", help: "Maximum wait between retries.", range: 1...3_600_000, \.retryBackoffMax),
        .milliseconds("delivery_give_up_ms", help: "How long the outputs of one message (with exactly_once, the transaction of one batch) may keep failing before the service stops with status 1, leaving the message's offset uncommitted, so that a restart gets new Kafka clients; 0 retries forever.", range: 0...86_400_000, \.deliveryGiveUp),
    ]

    static let operations: [ServiceSetting] = [
        ServiceSetting(
            key: "metrics_address", valueName: "host:port",
            help: "Address of the HTTP server for /metrics, /healthz and /readyz; port 0 picks a free port.",
            defaultDescription: "127.0.0.1:9464", isBoolean: false
        ) { configuration, text in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw SettingValueError(problem: "the value is empty") }
            configuration.metricsAddress = trimmed
        },
        .choice("role", help: "all runs the tagger and the alert stage, tagger only the tagger, alerts only the alert stage.", \.role),
    ]

    static let model: [ServiceSetting] = [
        .optionalString("model", valueName: "dir", help: "Model folder (config.json, vocab.txt or tokenizer.json, model.safetensors, spectag.json); default: the shipped models/spectag-e5-small.", \.modelPath),
        .string("drafter", help: "Drafter for speculative tagging: head, lexical or none (greedy decoding).", \.drafter),
        .optionalString("lexical_drafter", valueName: "file", help: "Lexical drafter file for drafter lexical; default: the shipped models/lexical-drafter.bin.", \.lexicalDrafterPath),
        .integer("max_draft", help: "Maximum number of drafted tags per sentence per verification pass.", range: 0...64, \.maxDraft),
        .integer("batch_size", help: "Sentences encoded and decoded together inside a batch of messages.", range: 1...4096, \.taggerBatchSize),
    ]
}
