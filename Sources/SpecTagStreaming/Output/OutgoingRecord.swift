import Foundation

// MARK: - Outgoing record

/// A record for one of the service's output topics, encoded and ready to send.
public struct OutgoingRecord: Sendable, Equatable {
    public var topic: String
    /// `nil` for a null key.
    public var key: Data?
    public var value: Data

    public init(topic: String, key: Data?, value: Data) {
        self.topic = topic
        self.key = key
        self.value = value
    }
}

/// The output topics that ``RecordBuilder`` writes to.
public struct OutputTopics: Sendable, Equatable {
    public var tagged: String
    public var entitySentiment: String
    public var deadLetter: String

    public init(tagged: String = "news.tagged", entitySentiment: String = "news.entity-sentiment", deadLetter: String = "news.dead-letter") {
        self.tagged = tagged
        self.entitySentiment = entitySentiment
        self.deadLetter = deadLetter
    }
}

// MARK: - JSON encoding

/// Encodes output records as compact JSON with sorted keys.
///
/// - Throws: `EncodingError` for a value JSON cannot represent, such as a NaN probability.
func encodeRecordJSON(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value)
}

/// Rounds a probability or score to six decimal places, enough for any threshold and
/// shorter to read than a full `Double`.
func roundedScore(_ value: Double) -> Double {
    (value * 1_000_000).rounded() / 1_000_000
}
