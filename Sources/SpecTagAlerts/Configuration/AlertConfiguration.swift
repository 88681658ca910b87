import Foundation

// MARK: - Topics

/// The topics of the alert stage.
public struct AlertTopics: Codable, Sendable, Equatable {
    /// Input: one record per entity mention, keyed by entity key.
    public var entitySentiment = "news.entity-sentiment"
    /// Output: alerts keyed by entity key.
    public var alerts = "news.alerts"
    /// The compacted topic with each entity's window state and last alert times.
    public var changelog = "news.alerts.changelog"
    /// The topic for invalid input records, or `nil` to only log and count them.
    public var deadLetter: String? = "news.dead-letter"

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case alerts, changelog
        case entitySentiment = "entity_sentiment"
        case deadLetter = "dead_letter"
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, knownKeys: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = AlertTopics()
        entitySentiment = try container.decodeIfPresent(String.self, forKey: .entitySentiment) ?? defaults.entitySentiment
        alerts = try container.decodeIfPresent(String.self, forKey: .alerts) ?? defaults.alerts
        changelog = try container.decodeIfPresent(String.self, forKey: .changelog) ?? defaults.changelog
        // An explicit null turns dead letters off; a missing key keeps the default.
        deadLetter = container.contains(.deadLetter)
            ? try container.decodeIfPresent(String.self, forKey: .deadLetter)
            : defaults.deadLetter
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entitySentiment, forKey: .entitySentiment)
        try container.encode(alerts, forKey: .alerts)
        try container.encode(changelog, forKey: .changelog)
        try container.encode(deadLetter, forKey: .deadLetter)
    }
}

// MARK: - Alert configuration

/// The settings of the alert stage that a JSON configuration file contains: the service's
/// configuration embeds this object under `"alerts"`. Every key is optional and has the
/// default documented in `docs/alerts.md`; unknown keys are rejected.
///
/// ```json
/// {"window": "15m", "slide": "1m", "allowed_lateness": "5m",
///  "rules": {"negative_share": {"threshold": 0.7}}}
/// ```
public struct AlertConfiguration: Codable, Sendable, Equatable {
    public var topics = AlertTopics()
    /// The consumer group of the entity-sentiment topic.
    public var groupID = "spectag-alerts"
    /// The length of a window.
    public var window = AlertDuration.minutes(15)
    /// The step of the sliding windows: windows start at multiples of it, and counts are kept
    /// per slide. ``window`` must be a multiple of it.
    public var slide = AlertDuration.minutes(1)
    /// How far behind an entity's newest event time a record may be and still be counted.
    public var allowedLateness = AlertDuration.minutes(5)
    /// The maximum number of triggering mentions listed in an alert, from 0 to 100.
    public var maxTriggers = 10
    /// How often stored offsets are committed. Outputs are always delivered before their
    /// offsets are stored.
    public var commitInterval = AlertDuration.seconds(1)
    /// How long restoring state from the changelog topic may take before the stage fails.
    public var restoreTimeout = AlertDuration.seconds(60)
    /// Whether the stage creates the alerts, changelog and dead-letter topics when they are
    /// missing. The entity-sentiment topic must exist.
    public var createTopics = true
    public var rules = AlertRules()

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case topics, window, slide, rules
        case groupID = "group_id"
        case allowedLateness = "allowed_lateness"
        case maxTriggers = "max_triggers"
        case commitInterval = "commit_interval"
        case restoreTimeout = "restore_timeout"
        case createTopics = "create_topics"
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, knownKeys: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = AlertConfiguration()
        topics = try container.decodeIfPresent(AlertTopics.self, forKey: .topics) ?? defaults.topics
        groupID = try container.decodeIfPresent(String.self, forKey: .groupID) ?? defaults.groupID
        window = try container.decodeIfPresent(AlertDuration.self, forKey: .window) ?? defaults.window
        slide = try container.decodeIfPresent(AlertDuration.self, forKey: .slide) ?? defaults.slide
        allowedLateness = try container.decodeIfPresent(AlertDuration.self, forKey: .allowedLateness) ?? defaults.allowedLateness
        maxTriggers = try container.decodeIfPresent(Int.self, forKey: .maxTriggers) ?? defaults.maxTriggers
        commitInterval = try container.decodeIfPresent(AlertDuration.self, forKey: .commitInterval) ?? defaults.commitInterval
        restoreTimeout = try container.decodeIfPresent(AlertDuration.self, forKey: .restoreTimeout) ?? defaults.restoreTimeout
        createTopics = try container.decodeIfPresent(Bool.self, forKey: .createTopics) ?? defaults.createTopics
        rules = try container.decodeIfPresent(AlertRules.self, forKey: .rules) ?? defaults.rules
    }

    // MARK: Validation

    /// Checks the values that decoding cannot check.
    ///
    /// - Throws: ``AlertConfigurationError`` naming the first invalid setting, its value and
    ///   the valid range.
    public func validate() throws {
        func require(_ condition: Bool, _ setting: String, _ value: Any, _ expected: String) throws {
            if !condition {
                throw AlertConfigurationError(setting: setting, problem: "\(value) is invalid: expected \(expected)")
            }
        }
        for (setting, topic) in [("topics.entity_sentiment", topics.entitySentiment), ("topics.alerts", topics.alerts),
                                 ("topics.changelog", topics.changelog), ("topics.dead_letter", topics.deadLetter ?? "-")] {
            try require(!topic.isEmpty, setting, "\"\"", "a topic name")
        }
        let outputs = [topics.alerts, topics.changelog] + (topics.deadLetter.map { [$0] } ?? [])
        try require(!outputs.contains(topics.entitySentiment), "topics.entity_sentiment", topics.entitySentiment,
                    "a topic other than the alerts, changelog and dead-letter topics")
        try require(topics.alerts != topics.changelog, "topics.changelog", topics.changelog, "a topic other than the alerts topic")
        try require(!groupID.isEmpty, "group_id", "\"\"", "a consumer group id")
        try require(slide.milliseconds > 0, "slide", slide, "more than 0")
        try require(window.milliseconds > 0 && window.milliseconds % max(slide.milliseconds, 1) == 0,
                    "window", window, "a positive multiple of slide (\(slide))")
        try require((0...100).contains(maxTriggers), "max_triggers", maxTriggers, "0 to 100")
        try require(restoreTimeout.milliseconds > 0, "restore_timeout", restoreTimeout, "more than 0")

        let negative = rules.negativeShare
        try require(negative.threshold > 0 && negative.threshold <= 1, "rules.negative_share.threshold", negative.threshold, "a share in (0, 1]")
        try require(negative.minMentions >= 1, "rules.negative_share.min_mentions", negative.minMentions, "at least 1")
        let volume = rules.volumeSpike
        try require(volume.factor.isFinite && volume.factor > 0, "rules.volume_spike.factor", volume.factor, "more than 0")
        try require((1...10_000).contains(volume.baselineWindows), "rules.volume_spike.baseline_windows", volume.baselineWindows, "1 to 10000")
        try require(volume.minMentions >= 1, "rules.volume_spike.min_mentions", volume.minMentions, "at least 1")
        try require(volume.minBaseline.isFinite && volume.minBaseline >= 0, "rules.volume_spike.min_baseline", volume.minBaseline, "0 or more")
        let swing = rules.sentimentSwing
        try require(swing.delta > 0 && swing.delta <= 2, "rules.sentiment_swing.delta", swing.delta, "a score change in (0, 2]")
        try require(swing.minMentions >= 1, "rules.sentiment_swing.min_mentions", swing.minMentions, "at least 1")
    }

    // MARK: Loading

    /// Decodes and validates a configuration from JSON.
    ///
    /// The JSON is either this object itself, or a service configuration whose `"alerts"`
    /// member is this object; other members of a service configuration are ignored.
    /// - Parameter source: names the input in errors, such as a file path.
    /// - Throws: ``AlertConfigurationError`` naming the source, the setting and the problem.
    public static func decode(from data: Data, source: String) throws -> AlertConfiguration {
        let configuration: AlertConfiguration
        do {
            if let wrapper = try? JSONDecoder().decode(ServiceConfigurationWrapper.self, from: data) {
                configuration = try wrapper.decodedAlerts()
            } else {
                configuration = try JSONDecoder().decode(AlertConfiguration.self, from: data)
            }
        } catch let error as DecodingError {
            let invalid = InvalidRecordError(decodingError: error)
            throw AlertConfigurationError(source: source, setting: invalid.field, problem: invalid.problem)
        }
        do {
            try configuration.validate()
        } catch let error as AlertConfigurationError {
            throw AlertConfigurationError(source: source, setting: error.setting, problem: error.problem)
        }
        return configuration
    }

    /// Reads a configuration file; see ``decode(from:source:)``.
    ///
    /// - Throws: ``AlertConfigurationError`` when the file cannot be read or is invalid.
    public static func load(contentsOf url: URL) throws -> AlertConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw AlertConfigurationError(source: url.path, setting: nil, problem: "the file cannot be read (\(error.localizedDescription))")
        }
        return try decode(from: data, source: url.path)
    }

    /// A JSON object with an `"alerts"` member, decoded without looking at other members.
    private struct ServiceConfigurationWrapper: Decodable {
        let alerts: AlertsMember

        /// Keeps the member's decoder, so that its errors surface from ``decodedAlerts()``.
        struct AlertsMember: Decodable {
            let result: Result<AlertConfiguration, any Error>

            init(from decoder: any Decoder) throws {
                result = Result { try AlertConfiguration(from: decoder) }
            }
        }

        func decodedAlerts() throws -> AlertConfiguration {
            try alerts.result.get()
        }
    }
}

/// An invalid alert configuration.
public struct AlertConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or other input, when known.
    public let source: String?
    /// The setting at fault, such as `rules.negative_share.threshold`.
    public let setting: String?
    public let problem: String

    public init(source: String? = nil, setting: String?, problem: String) {
        self.source = source
        self.setting = setting
        self.problem = problem
    }

    public var description: String {
        var text = "invalid alert configuration"
        if let source { text += " in \(source)" }
        if let setting { text += ": \(setting)" }
        return text + ": \(problem)"
    }
}
