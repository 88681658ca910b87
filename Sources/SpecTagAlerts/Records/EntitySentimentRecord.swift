import Foundation

// MARK: - Sentiment labels

/// The sentence-level sentiment label of a mention.
public enum SentimentLabel: String, Codable, Sendable, CaseIterable {
    case negative
    case neutral
    case positive
}

/// The class probabilities of the sentence that contains a mention.
public struct SentimentProbabilities: Codable, Sendable, Equatable {
    public var negative: Double
    public var neutral: Double
    public var positive: Double

    public init(negative: Double, neutral: Double, positive: Double) {
        self.negative = negative
        self.neutral = neutral
        self.positive = positive
    }
}

// MARK: - Entity-sentiment record

/// One entity mention with the sentiment of its sentence: the value of a record on the
/// entity-sentiment topic (`news.entity-sentiment` by default), keyed by ``entityKey``.
///
/// The JSON field names are snake case (`entity_key`, `published_at`, ...). Timestamps are
/// RFC 3339 strings, kept here as milliseconds since the epoch.
public struct EntitySentimentRecord: Codable, Sendable, Equatable {
    /// The value of the `schema` field that this type reads and writes.
    public static let schemaName = "spectag.entity_sentiment.v1"

    /// The entity types of the tagger's BIO tag set.
    public static let entityTypes: Set<String> = ["PER", "ORG", "LOC", "MISC"]

    /// The mention text as it appears in the news, such as `Apple Inc.`.
    public var entity: String
    /// ``EntityName/normalize(_:)`` of the mention; the Kafka key.
    public var entityKey: String
    /// `PER`, `ORG`, `LOC` or `MISC`.
    public var entityType: String
    public var messageID: String
    /// The message headline, or the first 200 characters of its body.
    public var headline: String
    /// `headline` or `body`: the field that contains the mention.
    public var field: String
    /// Unicode code point offsets of the mention in ``field``.
    public var start: Int
    public var end: Int
    public var sentiment: SentimentLabel
    /// P(positive) − P(negative) of the sentence, in [-1, 1].
    public var sentimentScore: Double
    public var probabilities: SentimentProbabilities
    /// The tagger's confidence in the entity, in [0, 1].
    public var confidence: Double
    /// When the news was published, from the input message; `nil` when unknown.
    public var publishedAt: Int64?
    /// When the tagging service processed the message.
    public var processedAt: Int64?
    public var source: String?
    public var tickers: [String]

    public init(
        entity: String,
        entityKey: String? = nil,
        entityType: String,
        messageID: String,
        headline: String,
        field: String = "headline",
        start: Int = 0,
        end: Int? = nil,
        sentiment: SentimentLabel,
        sentimentScore: Double,
        probabilities: SentimentProbabilities? = nil,
        confidence: Double = 1,
        publishedAt: Int64?,
        processedAt: Int64?,
        source: String? = nil,
        tickers: [String] = []
    ) {
        self.entity = entity
        self.entityKey = entityKey ?? EntityName.normalize(entity)
        self.entityType = entityType
        self.messageID = messageID
        self.headline = headline
        self.field = field
        self.start = start
        self.end = end ?? start + entity.unicodeScalars.count
        self.sentiment = sentiment
        self.sentimentScore = sentimentScore
        self.probabilities = probabilities ?? Self.probabilities(for: sentiment)
        self.confidence = confidence
        self.publishedAt = publishedAt
        self.processedAt = processedAt
        self.source = source
        self.tickers = tickers
    }

    private static func probabilities(for label: SentimentLabel) -> SentimentProbabilities {
        switch label {
        case .negative: return SentimentProbabilities(negative: 1, neutral: 0, positive: 0)
        case .neutral: return SentimentProbabilities(negative: 0, neutral: 1, positive: 0)
        case .positive: return SentimentProbabilities(negative: 0, neutral: 0, positive: 1)
        }
    }

    // MARK: JSON

    enum CodingKeys: String, CodingKey {
        case schema, entity, field, start, end, sentiment, probabilities, confidence, source, tickers, headline
        case entityKey = "entity_key"
        case entityType = "entity_type"
        case messageID = "message_id"
        case sentimentScore = "sentiment_score"
        case publishedAt = "published_at"
        case processedAt = "processed_at"
    }

    /// Decodes and validates a record.
    ///
    /// A missing or empty `entity_key` is computed from `entity`. `published_at`,
    /// `processed_at`, `source` and `tickers` may be missing or null.
    /// - Throws: `DecodingError` for malformed JSON or a wrong type, and
    ///   ``InvalidRecordError`` for a wrong `schema`, an unknown `entity_type` or
    ///   `sentiment`, an empty `entity`, an unparseable timestamp, or a `sentiment_score`
    ///   outside [-1, 1].
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let schema = try container.decode(String.self, forKey: .schema)
        guard schema == Self.schemaName else {
            throw InvalidRecordError(field: "schema", problem: "expected \"\(Self.schemaName)\", found \"\(schema)\"")
        }

        entity = try container.decode(String.self, forKey: .entity)
        let givenKey = try container.decodeIfPresent(String.self, forKey: .entityKey) ?? ""
        entityKey = givenKey.isEmpty ? EntityName.normalize(entity) : givenKey
        guard !entityKey.isEmpty else {
            throw InvalidRecordError(field: "entity", problem: "\"\(entity)\" has no letter or digit, so it has no entity key")
        }
        entityType = try container.decode(String.self, forKey: .entityType)
        guard Self.entityTypes.contains(entityType) else {
            throw InvalidRecordError(field: "entity_type", problem: "\"\(entityType)\" is not one of PER, ORG, LOC, MISC")
        }

        messageID = try container.decode(String.self, forKey: .messageID)
        headline = try container.decodeIfPresent(String.self, forKey: .headline) ?? ""
        field = try container.decodeIfPresent(String.self, forKey: .field) ?? "headline"
        start = try container.decodeIfPresent(Int.self, forKey: .start) ?? 0
        end = try container.decodeIfPresent(Int.self, forKey: .end) ?? start

        let label = try container.decode(String.self, forKey: .sentiment)
        guard let sentiment = SentimentLabel(rawValue: label) else {
            throw InvalidRecordError(field: "sentiment", problem: "\"\(label)\" is not one of negative, neutral, positive")
        }
        self.sentiment = sentiment
        sentimentScore = try container.decode(Double.self, forKey: .sentimentScore)
        guard sentimentScore.isFinite, (-1...1).contains(sentimentScore) else {
            throw InvalidRecordError(field: "sentiment_score", problem: "\(sentimentScore) is outside [-1, 1]")
        }
        probabilities = try container.decodeIfPresent(SentimentProbabilities.self, forKey: .probabilities)
            ?? Self.probabilities(for: sentiment)
        confidence = try container.decodeIfPresent(Double.self, forKey: .confidence) ?? 1

        publishedAt = try Self.decodeTimestamp(container, .publishedAt)
        processedAt = try Self.decodeTimestamp(container, .processedAt)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        tickers = try container.decodeIfPresent([String].self, forKey: .tickers) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaName, forKey: .schema)
        try container.encode(entity, forKey: .entity)
        try container.encode(entityKey, forKey: .entityKey)
        try container.encode(entityType, forKey: .entityType)
        try container.encode(messageID, forKey: .messageID)
        try container.encode(headline, forKey: .headline)
        try container.encode(field, forKey: .field)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(sentiment, forKey: .sentiment)
        try container.encode(sentimentScore, forKey: .sentimentScore)
        try container.encode(probabilities, forKey: .probabilities)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(publishedAt.map(Timestamp.string(milliseconds:)), forKey: .publishedAt)
        try container.encode(processedAt.map(Timestamp.string(milliseconds:)), forKey: .processedAt)
        try container.encode(source, forKey: .source)
        try container.encode(tickers, forKey: .tickers)
    }

    private static func decodeTimestamp(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Int64? {
        guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let milliseconds = Timestamp.milliseconds(parsing: text) else {
            throw InvalidRecordError(field: key.stringValue, problem: "\"\(text)\" is not an RFC 3339 timestamp such as 2026-12-04T20:00:00Z")
        }
        return milliseconds
    }

    /// Decodes a record from the JSON value of a Kafka message.
    ///
    /// - Throws: ``InvalidRecordError`` naming the field for any problem, including
    ///   malformed JSON and wrong types.
    public static func decode(from data: Data) throws -> EntitySentimentRecord {
        do {
            return try JSONDecoder().decode(EntitySentimentRecord.self, from: data)
        } catch let error as InvalidRecordError {
            throw error
        } catch let error as DecodingError {
            throw InvalidRecordError(decodingError: error)
        }
    }

    /// Returns the record as compact JSON with sorted keys.
    public func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
