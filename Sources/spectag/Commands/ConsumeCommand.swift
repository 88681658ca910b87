import Foundation
import SpecTagArguments
import SpecTagKafka
import SpecTagLogging
import SpecTagStreaming

/// `spectag consume`: prints the records of a Kafka topic as JSON lines.
struct ConsumeCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "consume",
            abstract: "Print the records of a Kafka topic as JSON lines.",
            discussion: """
                Each line is {"topic", "partition", "offset", "timestamp", "key", "value"}: the value is \
                the record's JSON when it is valid JSON, otherwise its text; a key or value that is not \
                UTF-8 is printed as "key_base64" or "value_base64". The timestamp is RFC 3339 in UTC.

                The command joins a consumer group of its own (a new one per run unless --group is \
                given) and never commits offsets. It stops after --max-messages records, after \
                --timeout seconds without a record, or on SIGINT or SIGTERM, and then exits with status 0.
                """
        )
    }

    static var options: [OptionSpec] {
        [
            .option("topic", short: "t", valueName: "topic", help: "Topic to read.", required: true),
            .option("brokers", short: "b", valueName: "host:port,...", help: "Kafka bootstrap servers.", default: "127.0.0.1:9092", environment: "SPECTAG_BROKERS"),
            .flag("from-beginning", help: "Start at the oldest record; otherwise only records sent after the group joined are printed."),
            .option("max-messages", valueName: "n", help: "Stop after this many records; 0 means no limit.", default: 0),
            .option("timeout", valueName: "seconds", help: "Stop when no record arrived for this many seconds, counted from the start and from each record; 0 waits forever.", default: 0),
            .option("isolation", valueName: "level", help: "read_committed shows only committed transactional records; read_uncommitted shows all.", default: "read_uncommitted"),
            .option("group", valueName: "id", help: "Consumer group id; default: spectag-consume-<random>."),
            .option("client-properties", valueName: "file", help: "Java-style client.properties file with librdkafka properties.", environment: "SPECTAG_CLIENT_PROPERTIES"),
            .repeated("kafka-property", short: "X", valueName: "key=value", help: "librdkafka property, such as -X security.protocol=SASL_SSL; applied last."),
        ]
    }

    let topic: String
    let brokers: [String]
    let fromBeginning: Bool
    let maxMessages: Int
    let idleTimeout: Double
    let isolation: KafkaConsumerConfiguration.IsolationLevel
    let group: String
    let kafkaProperties: KafkaProperties

    init(_ arguments: ParsedArguments) throws {
        topic = try arguments.required("topic")
        brokers = try arguments.required("brokers", as: String.self).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        fromBeginning = try arguments.flag("from-beginning")
        maxMessages = try arguments.required("max-messages")
        idleTimeout = try arguments.required("timeout")
        guard maxMessages >= 0 else { throw UsageError("--max-messages must be 0 or more, got \(maxMessages)") }
        guard idleTimeout >= 0 else { throw UsageError("--timeout must be 0 or more, got \(idleTimeout)") }
        let isolationText: String = try arguments.required("isolation")
        guard let isolation = KafkaConsumerConfiguration.IsolationLevel(rawValue: isolationText) else {
            throw UsageError("--isolation must be read_committed or read_uncommitted, got '\(isolationText)'")
        }
        self.isolation = isolation
        group = try arguments.value("group") ?? "spectag-consume-\(UUID().uuidString.prefix(8).lowercased())"
        kafkaProperties = try KafkaClientOptions.properties(
            clientPropertiesFile: arguments.value("client-properties"),
            overrides: arguments.values("kafka-property")
        )
    }

    func run() async throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: brokers, groupID: group)
        configuration.clientID = "spectag-consume"
        configuration.isolationLevel = isolation
        configuration.autoOffsetReset = fromBeginning ? .earliest : .latest
        // Brokers such as Tansu delay a first join by half the session timeout, so keep it short.
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .seconds(2)
        configuration.commitStoredOffsetsOnRevoke = false
        configuration.additionalProperties = kafkaProperties
        let consumer = try KafkaConsumer(configuration: configuration)
        try consumer.subscribe(topics: [topic])

        let shutdown = ShutdownRequest()
        let signals = ShutdownSignals(logger: Logger(label: "spectag.consume")) { _ in shutdown.request() }
        defer { withExtendedLifetime(signals) {} }

        var count = 0
        var lastActivity = ContinuousClock.now
        while !shutdown.isRequested {
            if maxMessages > 0, count >= maxMessages { break }
            if idleTimeout > 0, ContinuousClock.now - lastActivity >= .milliseconds(Int64(idleTimeout * 1000)) { break }
            guard let message = try await consumer.poll(timeout: .milliseconds(100)) else { continue }
            count += 1
            lastActivity = .now
            writeLine(try ConsumedRecord(message).jsonLine())
        }
        try await consumer.close()
        printToStandardError("consumed \(count) records from \(topic)")
    }

    private func writeLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// One record as `spectag consume` prints it.
struct ConsumedRecord: Encodable {
    var topic: String
    var partition: Int32
    var offset: Int64
    var timestamp: String?
    var key: String?
    var keyBase64: String?
    var value: JSONValue?
    var valueBase64: String?

    enum CodingKeys: String, CodingKey {
        case topic, partition, offset, timestamp, key, value
        case keyBase64 = "key_base64"
        case valueBase64 = "value_base64"
    }

    init(_ message: KafkaConsumerMessage) {
        topic = message.topic
        partition = message.partition
        offset = message.offset
        timestamp = message.timestamp.map(iso8601Milliseconds)
        if let key = message.key {
            if let text = String(data: key, encoding: .utf8) { self.key = text } else { keyBase64 = key.base64EncodedString() }
        }
        if let data = message.value {
            if let json = try? JSONValue.parse(data) {
                value = json
            } else if let text = String(data: data, encoding: .utf8) {
                value = .string(text)
            } else {
                valueBase64 = data.base64EncodedString()
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(topic, forKey: .topic)
        try container.encode(partition, forKey: .partition)
        try container.encode(offset, forKey: .offset)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(key, forKey: .key)
        try container.encodeIfPresent(keyBase64, forKey: .keyBase64)
        try container.encode(value, forKey: .value)
        try container.encodeIfPresent(valueBase64, forKey: .valueBase64)
    }

    /// Returns the record as one line of compact JSON with sorted keys.
    func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
