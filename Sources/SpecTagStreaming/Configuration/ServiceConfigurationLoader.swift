import Foundation
import SpecTagAlerts
import SpecTagKafka
import SpecTagMetrics

// MARK: - Errors

/// An invalid setting, naming where it came from: the file and key, the environment
/// variable, or the flag.
public struct ServiceConfigurationError: Error, Equatable, CustomStringConvertible {
    /// `config.json: max_batch_messages`, `SPECTAG_MAX_BATCH_MESSAGES` or `--max-batch-messages`.
    public let source: String
    public let problem: String

    public init(source: String, problem: String) {
        self.source = source
        self.problem = problem
    }

    public var description: String { "\(source): \(problem)" }
}

// MARK: - Loader

/// Builds a ``ServiceConfiguration`` from its sources. Later sources win:
///
/// 1. the defaults of ``ServiceConfiguration``;
/// 2. the JSON configuration file (`--config FILE` or `SPECTAG_CONFIG`);
/// 3. environment variables `SPECTAG_<KEY>`;
/// 4. command-line flags.
///
/// librdkafka properties stack the same way: `kafka_properties` in the file, then
/// `SPECTAG_KAFKA_PROPERTIES`, then `-X` flags, all applied on top of `client_properties`.
public enum ServiceConfigurationLoader {
    public static let configFileVariable = "SPECTAG_CONFIG"
    public static let kafkaPropertiesVariable = "SPECTAG_KAFKA_PROPERTIES"
    /// The key of librdkafka pass-through properties in the configuration file.
    public static let kafkaPropertiesKey = "kafka_properties"
    /// The key of the alert stage's settings in the configuration file.
    public static let alertsKey = "alerts"

    /// Loads and validates the configuration.
    ///
    /// - Parameters:
    ///   - configFile: the `--config` path; `nil` falls back to `SPECTAG_CONFIG`, then to no file.
    ///   - flags: values given on the command line, by setting key (`max_batch_messages`).
    ///   - kafkaPropertyFlags: the `-X key=value` arguments in command-line order.
    /// - Throws: ``ServiceConfigurationError`` naming the source and the problem: an
    ///   unreadable or malformed file, an unknown key, an invalid value, or settings that
    ///   contradict each other.
    public static func load(
        configFile: String? = nil,
        environment: [String: String] = [:],
        flags: [String: String] = [:],
        kafkaPropertyFlags: [String] = []
    ) throws -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        let filePath = configFile ?? environment[configFileVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let filePath {
            try applyFile(at: filePath, to: &configuration)
        }
        try applyEnvironment(environment, to: &configuration)
        try applyFlags(flags, kafkaPropertyFlags: kafkaPropertyFlags, to: &configuration)
        try validate(configuration)
        return configuration
    }

    // MARK: File

    static func applyFile(at path: String, to configuration: inout ServiceConfiguration) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ServiceConfigurationError(source: path, problem: "the configuration file cannot be read (\(error.localizedDescription))")
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw ServiceConfigurationError(source: path, problem: "the configuration file is not valid JSON")
        }
        guard case .object(let entries) = json else {
            throw ServiceConfigurationError(source: path, problem: "the configuration file must contain a JSON object, got \(json.typeName)")
        }
        for key in entries.keys.sorted() {
            guard let value = entries[key] else { continue }
            let source = "\(path): \(key)"
            if key == kafkaPropertiesKey {
                configuration.kafkaProperties = configuration.kafkaProperties.merging(try kafkaProperties(from: value, source: source))
                continue
            }
            if key == alertsKey {
                configuration.alerts = try alertConfiguration(value, fileData: data, path: path)
                continue
            }
            guard let setting = ServiceSettings.setting(key) else {
                let known = (ServiceSettings.all.map(\.key) + [kafkaPropertiesKey, alertsKey]).joined(separator: ", ")
                throw ServiceConfigurationError(source: source, problem: "unknown setting; the known settings are \(known)")
            }
            guard let text = try settingText(value, source: source) else { continue }
            try apply(setting, text: text, source: source, to: &configuration)
        }
    }

    /// Converts a JSON value to the text form that settings parse; `nil` for JSON null,
    /// which leaves the default in place.
    private static func settingText(_ value: JSONValue, source: String) throws -> String? {
        switch value {
        case .null:
            return nil
        case .string(let string):
            return string
        case .bool(let bool):
            return String(bool)
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 {
                return String(Int64(number))
            }
            return String(number)
        case .array(let items):
            let strings = items.compactMap(\.stringValue)
            guard strings.count == items.count else {
                throw ServiceConfigurationError(source: source, problem: "expected an array of strings")
            }
            return strings.joined(separator: ",")
        case .object:
            throw ServiceConfigurationError(source: source, problem: "expected a string, number or boolean, got object")
        }
    }

    /// Decodes the `alerts` object with the alert stage's own rules. Its `topics` member is
    /// rejected, because the top-level topic settings name the topics of both stages.
    private static func alertConfiguration(_ value: JSONValue, fileData: Data, path: String) throws -> AlertConfiguration {
        guard case .object(let members) = value else {
            throw ServiceConfigurationError(source: "\(path): \(alertsKey)", problem: "expected an object, got \(value.typeName)")
        }
        if members["topics"] != nil {
            throw ServiceConfigurationError(
                source: "\(path): \(alertsKey).topics",
                problem: "set the topics with the top-level settings entity_sentiment_topic, alerts_topic, alerts_changelog_topic and dead_letter_topic"
            )
        }
        do {
            return try AlertConfiguration.decode(from: fileData, source: path)
        } catch let error as AlertConfigurationError {
            throw ServiceConfigurationError(source: "\(path): \(alertsKey)", problem: error.description)
        }
    }

    private static func kafkaProperties(from value: JSONValue, source: String) throws -> KafkaProperties {
        guard case .object(let entries) = value else {
            throw ServiceConfigurationError(source: source, problem: "expected an object of librdkafka properties, got \(value.typeName)")
        }
        var properties = KafkaProperties()
        for key in entries.keys.sorted() {
            guard let entry = entries[key], let text = try settingText(entry, source: "\(source).\(key)") else { continue }
            properties[key] = text
        }
        return properties
    }

    // MARK: Environment and flags

    static func applyEnvironment(_ environment: [String: String], to configuration: inout ServiceConfiguration) throws {
        for setting in ServiceSettings.all {
            guard let text = environment[setting.environmentVariable], !text.isEmpty else { continue }
            try apply(setting, text: text, source: setting.environmentVariable, to: &configuration)
        }
        if let text = environment[kafkaPropertiesVariable], !text.isEmpty {
            for argument in text.split(separator: ";") {
                try applyKafkaOverride(String(argument), source: kafkaPropertiesVariable, to: &configuration)
            }
        }
    }

    static func applyFlags(
        _ flags: [String: String],
        kafkaPropertyFlags: [String],
        to configuration: inout ServiceConfiguration
    ) throws {
        for key in flags.keys.sorted() {
            guard let text = flags[key] else { continue }
            guard let setting = ServiceSettings.setting(key) else {
                throw ServiceConfigurationError(source: "--\(key)", problem: "unknown setting")
            }
            try apply(setting, text: text, source: "--\(setting.flag)", to: &configuration)
        }
        for argument in kafkaPropertyFlags {
            try applyKafkaOverride(argument, source: "-X", to: &configuration)
        }
    }

    private static func apply(
        _ setting: ServiceSetting,
        text: String,
        source: String,
        to configuration: inout ServiceConfiguration
    ) throws {
        do {
            try setting.apply(text, to: &configuration)
        } catch let error as SettingValueError {
            throw ServiceConfigurationError(source: source, problem: error.problem)
        }
    }

    private static func applyKafkaOverride(_ argument: String, source: String, to configuration: inout ServiceConfiguration) throws {
        do {
            try configuration.kafkaProperties.applyOverride(argument)
        } catch let error as KafkaPropertiesError {
            throw ServiceConfigurationError(source: source, problem: error.problem)
        }
    }

    // MARK: Validation

    /// Checks the settings that depend on each other, the topic names, the metrics address
    /// and the client.properties file.
    ///
    /// - Throws: ``ServiceConfigurationError`` naming the setting.
    public static func validate(_ configuration: ServiceConfiguration) throws {
        guard configuration.heartbeatInterval < configuration.sessionTimeout else {
            throw ServiceConfigurationError(
                source: "heartbeat_interval_ms",
                problem: "must be below session_timeout_ms (\(configuration.sessionTimeout.milliseconds) ms), got \(configuration.heartbeatInterval.milliseconds) ms"
            )
        }
        guard configuration.retryBackoff <= configuration.retryBackoffMax else {
            throw ServiceConfigurationError(source: "retry_backoff_ms", problem: "must not exceed retry_backoff_max_ms")
        }
        let topics: [(key: String, name: String)] = [
            ("input_topic", configuration.inputTopic),
            ("tagged_topic", configuration.taggedTopic),
            ("entity_sentiment_topic", configuration.entitySentimentTopic),
            ("dead_letter_topic", configuration.deadLetterTopic),
            ("alerts_topic", configuration.alertsTopic),
            ("alerts_changelog_topic", configuration.alertsChangelogTopic),
        ]
        for topic in topics {
            if let problem = topicNameProblem(topic.name) {
                throw ServiceConfigurationError(source: topic.key, problem: problem)
            }
        }
        for (index, topic) in topics.enumerated() {
            if let other = topics[..<index].first(where: { $0.name == topic.name }) {
                throw ServiceConfigurationError(source: topic.key, problem: "\"\(topic.name)\" is also the \(other.key); every topic must differ")
            }
        }
        do {
            _ = try MetricsServerConfiguration(address: configuration.metricsAddress)
        } catch {
            throw ServiceConfigurationError(source: "metrics_address", problem: "\(error)")
        }
        _ = try configuration.librdkafkaOverrides()
    }

    /// Returns the problem with a Kafka topic name, or `nil` when it is valid: 1 to 249 of
    /// the characters `a-z A-Z 0-9 . _ -`, and not `.` or `..`.
    public static func topicNameProblem(_ name: String) -> String? {
        guard !name.isEmpty, name.count <= 249 else {
            return "a topic name must have 1 to 249 characters, got \(name.count)"
        }
        guard name != ".", name != ".." else {
            return "\"\(name)\" is not a valid topic name"
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
        }
        guard allowed else {
            return "\"\(name)\" contains a character other than letters, digits, '.', '_' and '-'"
        }
        return nil
    }
}

// MARK: - Kafka properties

extension ServiceConfiguration {
    /// Returns the librdkafka properties that go on top of the typed client settings: the
    /// client.properties file, then the pass-through properties.
    ///
    /// - Throws: ``ServiceConfigurationError`` when the client.properties file cannot be read
    ///   or parsed.
    public func librdkafkaOverrides() throws -> KafkaProperties {
        guard let clientPropertiesFile else { return kafkaProperties }
        do {
            let fromFile = try KafkaProperties.load(contentsOf: URL(fileURLWithPath: clientPropertiesFile))
            return fromFile.merging(kafkaProperties)
        } catch let error as KafkaPropertiesError {
            throw ServiceConfigurationError(source: "client_properties", problem: error.description)
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
