import Foundation

// MARK: - Tagged news record

/// The value of a record on the tagged topic (`news.tagged`), keyed by the message id.
///
/// `schemas/news.tagged.schema.json` describes the JSON. Absent optional input fields are
/// written as `null`, and `tickers` as `[]`.
public struct TaggedNewsRecord: Sendable, Equatable, Encodable {
    public static let schemaName = "spectag.tagged.v1"

    /// One entity mention in the headline or the body.
    public struct Entity: Sendable, Equatable, Encodable {
        /// `PER`, `ORG`, `LOC` or `MISC`.
        public var type: String
        public var text: String
        public var field: NewsField
        /// Unicode code point offsets into the field, end exclusive.
        public var start: Int
        public var end: Int
        public var confidence: Double
        /// Index of the sentence of the field that contains the mention.
        public var sentence: Int
    }

    /// Sentiment of the headline, the body and the whole message.
    public struct Sentiments: Sendable, Equatable, Encodable {
        public var headline: SentimentSummary?
        public var body: SentimentSummary?
        /// The mean probabilities of every sentence of the headline and the body.
        public var overall: SentimentSummary

        enum CodingKeys: String, CodingKey {
            case headline, body, overall
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(headline, forKey: .headline)
            try container.encode(body, forKey: .body)
            try container.encode(overall, forKey: .overall)
        }
    }

    /// Speculative-decoding counters of this message alone.
    public struct Speculative: Sendable, Equatable, Encodable {
        public var sentences: Int
        public var draftTokens: Int
        public var acceptedTokens: Int
        /// Accepted over drafted tokens; 0 when nothing was drafted.
        public var acceptanceRate: Double
        /// Target decoder passes that the message's sentences took part in.
        public var targetPasses: Int

        enum CodingKeys: String, CodingKey {
            case sentences
            case draftTokens = "draft_tokens"
            case acceptedTokens = "accepted_tokens"
            case acceptanceRate = "acceptance_rate"
            case targetPasses = "target_passes"
        }
    }

    /// The topic, partition and offset of the input message.
    public struct InputPosition: Sendable, Equatable, Encodable {
        public var topic: String
        public var partition: Int32
        public var offset: Int64
        /// The input record's timestamp, RFC 3339 in UTC, or `nil` when it has none.
        public var timestamp: String?

        enum CodingKeys: String, CodingKey {
            case topic, partition, offset, timestamp
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(topic, forKey: .topic)
            try container.encode(partition, forKey: .partition)
            try container.encode(offset, forKey: .offset)
            try container.encode(timestamp, forKey: .timestamp)
        }
    }

    public var id: String
    public var source: String?
    public var publishedAt: String?
    public var tickers: [String]
    public var language: String?
    public var headline: String?
    public var entities: [Entity]
    public var sentiment: Sentiments
    public var model: String
    public var drafter: String
    public var speculative: Speculative
    /// Time from reading the input message to building this record, in milliseconds.
    public var latencyMilliseconds: Double
    public var input: InputPosition
    public var processedAt: String

    enum CodingKeys: String, CodingKey {
        case schema, id, source, tickers, headline, entities, sentiment, model, drafter, speculative, input
        case publishedAt = "published_at"
        case language = "lang"
        case latencyMilliseconds = "latency_ms"
        case processedAt = "processed_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaName, forKey: .schema)
        try container.encode(id, forKey: .id)
        try container.encode(source, forKey: .source)
        try container.encode(publishedAt, forKey: .publishedAt)
        try container.encode(tickers, forKey: .tickers)
        try container.encode(language, forKey: .language)
        try container.encode(headline, forKey: .headline)
        try container.encode(entities, forKey: .entities)
        try container.encode(sentiment, forKey: .sentiment)
        try container.encode(model, forKey: .model)
        try container.encode(drafter, forKey: .drafter)
        try container.encode(speculative, forKey: .speculative)
        try container.encode(latencyMilliseconds, forKey: .latencyMilliseconds)
        try container.encode(input, forKey: .input)
        try container.encode(processedAt, forKey: .processedAt)
    }
}
