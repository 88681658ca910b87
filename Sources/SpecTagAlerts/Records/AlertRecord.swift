import Foundation

// MARK: - Rules

/// The alert rules; the raw value is the `rule` field of an alert.
public enum AlertRuleName: String, Codable, Sendable, CaseIterable, Comparable {
    /// The share of negative mentions in the window reached a threshold.
    case negativeShare = "negative_share"
    /// The window's mentions reached a multiple of the entity's own baseline.
    case volumeSpike = "volume_spike"
    /// The mean sentiment score moved by at least a delta from the previous window.
    case sentimentSwing = "sentiment_swing"

    public static func < (lhs: AlertRuleName, rhs: AlertRuleName) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

// MARK: - Alert record

/// An alert: the value of a record on the alerts topic (`news.alerts` by default), keyed by
/// ``entityKey``. `schemas/news.alert.schema.json` is its JSON Schema.
public struct AlertRecord: Codable, Sendable, Equatable {
    /// The value of the `schema` field.
    public static let schemaName = "spectag.alert.v1"

    public var schema: String = AlertRecord.schemaName
    /// ``AlertIdentifier/make(entityKey:rule:windowStart:)``: the same for the same entity,
    /// rule and window, so a consumer can drop an alert that was sent twice.
    public var alertID: String
    /// The most recent mention text of the entity, such as `Apple Inc.`.
    public var entity: String
    public var entityKey: String
    public var entityType: String
    public var rule: AlertRuleName
    /// The rule's settings when it fired.
    public var parameters: AlertParameters
    public var window: WindowFigures
    /// One sentence for people, such as `5 of 6 mentions of Apple Inc. in 15m are negative (83%)`.
    public var summary: String
    /// The most recent mentions that make the rule fire, newest first; at most
    /// ``AlertConfiguration/maxTriggers``.
    public var triggers: [AlertTrigger]
    /// Tickers of the triggering mentions, sorted, without duplicates.
    public var tickers: [String]
    /// When the alert stage created the alert, from its clock (RFC 3339 in JSON).
    public var createdAt: Int64

    public init(
        alertID: String,
        entity: String,
        entityKey: String,
        entityType: String,
        rule: AlertRuleName,
        parameters: AlertParameters,
        window: WindowFigures,
        summary: String,
        triggers: [AlertTrigger],
        tickers: [String],
        createdAt: Int64
    ) {
        self.alertID = alertID
        self.entity = entity
        self.entityKey = entityKey
        self.entityType = entityType
        self.rule = rule
        self.parameters = parameters
        self.window = window
        self.summary = summary
        self.triggers = triggers
        self.tickers = tickers
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case schema, entity, rule, parameters, window, summary, triggers, tickers
        case alertID = "alert_id"
        case entityKey = "entity_key"
        case entityType = "entity_type"
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schema = try container.decode(String.self, forKey: .schema)
        guard schema == Self.schemaName else {
            throw InvalidRecordError(field: "schema", problem: "expected \"\(Self.schemaName)\", found \"\(schema)\"")
        }
        alertID = try container.decode(String.self, forKey: .alertID)
        entity = try container.decode(String.self, forKey: .entity)
        entityKey = try container.decode(String.self, forKey: .entityKey)
        entityType = try container.decode(String.self, forKey: .entityType)
        rule = try container.decode(AlertRuleName.self, forKey: .rule)
        parameters = try container.decode(AlertParameters.self, forKey: .parameters)
        window = try container.decode(WindowFigures.self, forKey: .window)
        summary = try container.decodeIfPresent(String.self, forKey: .summary) ?? ""
        triggers = try container.decodeIfPresent([AlertTrigger].self, forKey: .triggers) ?? []
        tickers = try container.decodeIfPresent([String].self, forKey: .tickers) ?? []
        createdAt = try decodeTimestamp(container, .createdAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schema, forKey: .schema)
        try container.encode(alertID, forKey: .alertID)
        try container.encode(entity, forKey: .entity)
        try container.encode(entityKey, forKey: .entityKey)
        try container.encode(entityType, forKey: .entityType)
        try container.encode(rule, forKey: .rule)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(window, forKey: .window)
        try container.encode(summary, forKey: .summary)
        try container.encode(triggers, forKey: .triggers)
        try container.encode(tickers, forKey: .tickers)
        try container.encode(Timestamp.string(milliseconds: createdAt), forKey: .createdAt)
    }

    /// Decodes an alert from the JSON value of a Kafka message.
    ///
    /// - Throws: ``InvalidRecordError`` naming the field for malformed JSON, a wrong type or
    ///   a wrong schema.
    public static func decode(from data: Data) throws -> AlertRecord {
        do {
            return try JSONDecoder().decode(AlertRecord.self, from: data)
        } catch let error as InvalidRecordError {
            throw error
        } catch let error as DecodingError {
            throw InvalidRecordError(decodingError: error)
        }
    }

    /// Returns the alert as compact JSON with sorted keys.
    public func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

// MARK: - Parts

/// The settings of the rule that fired. Fields that the rule does not use are `nil` and
/// left out of the JSON.
public struct AlertParameters: Codable, Sendable, Equatable {
    public var windowSeconds: Double
    public var slideSeconds: Double
    public var cooldownSeconds: Double
    public var minMentions: Int
    /// `negative_share`: the minimum share of negative mentions.
    public var threshold: Double?
    /// `volume_spike`: the multiple of the baseline.
    public var factor: Double?
    /// `volume_spike`: how many windows before the current one make the baseline.
    public var baselineWindows: Int?
    /// `volume_spike`: the smallest baseline used, in mentions per window.
    public var minBaseline: Double?
    /// `sentiment_swing`: the minimum change of the mean score.
    public var delta: Double?

    public init(
        windowSeconds: Double,
        slideSeconds: Double,
        cooldownSeconds: Double,
        minMentions: Int,
        threshold: Double? = nil,
        factor: Double? = nil,
        baselineWindows: Int? = nil,
        minBaseline: Double? = nil,
        delta: Double? = nil
    ) {
        self.windowSeconds = windowSeconds
        self.slideSeconds = slideSeconds
        self.cooldownSeconds = cooldownSeconds
        self.minMentions = minMentions
        self.threshold = threshold
        self.factor = factor
        self.baselineWindows = baselineWindows
        self.minBaseline = minBaseline
        self.delta = delta
    }

    enum CodingKeys: String, CodingKey {
        case threshold, factor, delta
        case windowSeconds = "window_seconds"
        case slideSeconds = "slide_seconds"
        case cooldownSeconds = "cooldown_seconds"
        case minMentions = "min_mentions"
        case baselineWindows = "baseline_windows"
        case minBaseline = "min_baseline"
    }
}

/// The figures of the window that an alert is about. Times are RFC 3339 in JSON.
public struct WindowFigures: Codable, Sendable, Equatable {
    /// Window start (inclusive) and end (exclusive), in milliseconds since the epoch.
    public var start: Int64
    public var end: Int64
    public var mentions: Int
    public var negative: Int
    public var neutral: Int
    public var positive: Int
    /// `negative / mentions`, or 0 for an empty window.
    public var negativeShare: Double
    /// Mean `sentiment_score` of the window's mentions, or 0 for an empty window.
    public var meanScore: Double
    /// Mean mentions per window over the baseline windows before this one.
    public var baseline: Double
    /// Mentions in the window of the same length just before this one.
    public var previousMentions: Int
    /// Mean score of that previous window, or `nil` when it had no mentions.
    public var previousMeanScore: Double?

    public init(
        start: Int64, end: Int64, mentions: Int, negative: Int, neutral: Int, positive: Int,
        negativeShare: Double, meanScore: Double, baseline: Double, previousMentions: Int, previousMeanScore: Double?
    ) {
        self.start = start
        self.end = end
        self.mentions = mentions
        self.negative = negative
        self.neutral = neutral
        self.positive = positive
        self.negativeShare = negativeShare
        self.meanScore = meanScore
        self.baseline = baseline
        self.previousMentions = previousMentions
        self.previousMeanScore = previousMeanScore
    }

    enum CodingKeys: String, CodingKey {
        case start, end, mentions, negative, neutral, positive, baseline
        case negativeShare = "negative_share"
        case meanScore = "mean_score"
        case previousMentions = "previous_mentions"
        case previousMeanScore = "previous_mean_score"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        start = try decodeTimestamp(container, .start)
        end = try decodeTimestamp(container, .end)
        mentions = try container.decode(Int.self, forKey: .mentions)
        negative = try container.decode(Int.self, forKey: .negative)
        neutral = try container.decode(Int.self, forKey: .neutral)
        positive = try container.decode(Int.self, forKey: .positive)
        negativeShare = try container.decode(Double.self, forKey: .negativeShare)
        meanScore = try container.decode(Double.self, forKey: .meanScore)
        baseline = try container.decode(Double.self, forKey: .baseline)
        previousMentions = try container.decodeIfPresent(Int.self, forKey: .previousMentions) ?? 0
        previousMeanScore = try container.decodeIfPresent(Double.self, forKey: .previousMeanScore)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Timestamp.string(milliseconds: start), forKey: .start)
        try container.encode(Timestamp.string(milliseconds: end), forKey: .end)
        try container.encode(mentions, forKey: .mentions)
        try container.encode(negative, forKey: .negative)
        try container.encode(neutral, forKey: .neutral)
        try container.encode(positive, forKey: .positive)
        try container.encode(negativeShare, forKey: .negativeShare)
        try container.encode(meanScore, forKey: .meanScore)
        try container.encode(baseline, forKey: .baseline)
        try container.encode(previousMentions, forKey: .previousMentions)
        try container.encode(previousMeanScore, forKey: .previousMeanScore)
    }
}

/// One mention that contributed to an alert.
public struct AlertTrigger: Codable, Sendable, Equatable {
    public var messageID: String
    public var headline: String
    public var sentiment: SentimentLabel
    public var sentimentScore: Double
    /// The mention's event time: `published_at`, or the processing time when that is missing.
    public var eventTime: Int64

    public init(messageID: String, headline: String, sentiment: SentimentLabel, sentimentScore: Double, eventTime: Int64) {
        self.messageID = messageID
        self.headline = headline
        self.sentiment = sentiment
        self.sentimentScore = sentimentScore
        self.eventTime = eventTime
    }

    enum CodingKeys: String, CodingKey {
        case headline, sentiment
        case messageID = "message_id"
        case sentimentScore = "sentiment_score"
        case eventTime = "event_time"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageID = try container.decode(String.self, forKey: .messageID)
        headline = try container.decode(String.self, forKey: .headline)
        sentiment = try container.decode(SentimentLabel.self, forKey: .sentiment)
        sentimentScore = try container.decode(Double.self, forKey: .sentimentScore)
        eventTime = try decodeTimestamp(container, .eventTime)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messageID, forKey: .messageID)
        try container.encode(headline, forKey: .headline)
        try container.encode(sentiment, forKey: .sentiment)
        try container.encode(sentimentScore, forKey: .sentimentScore)
        try container.encode(Timestamp.string(milliseconds: eventTime), forKey: .eventTime)
    }
}

/// Decodes a required RFC 3339 timestamp field as milliseconds since the epoch.
func decodeTimestamp<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> Int64 {
    let text = try container.decode(String.self, forKey: key)
    guard let milliseconds = Timestamp.milliseconds(parsing: text) else {
        throw InvalidRecordError(field: key.stringValue, problem: "\"\(text)\" is not an RFC 3339 timestamp such as 2026-12-04T20:00:00Z")
    }
    return milliseconds
}
