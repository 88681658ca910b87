import Foundation

// MARK: - Dead-letter record

/// The value of a record on the dead-letter topic (`news.dead-letter`): an input message that
/// was not tagged, with its original bytes and the reason.
///
/// `schemas/news.dead-letter.schema.json` describes the JSON. The record keeps the original
/// key, so it lands in the partition its key hashes to.
public struct DeadLetterRecord: Sendable, Equatable, Encodable {
    public static let schemaName = "spectag.dead_letter.v1"

    /// The input record as it was read.
    public struct Original: Sendable, Equatable, Encodable {
        public var topic: String
        public var partition: Int32
        public var offset: Int64
        /// RFC 3339 in UTC, or `nil` when the record has no timestamp.
        public var timestamp: String?
        /// Base64 of the key, or `nil` for a null key.
        public var keyBase64: String?
        /// Base64 of the value, cut to the first ``DeadLetterRecord`` limit of bytes when
        /// ``valueTruncated`` is true; `nil` for a null value.
        public var valueBase64: String?
        /// Size of the whole original value in bytes.
        public var valueBytes: Int
        public var valueTruncated: Bool

        enum CodingKeys: String, CodingKey {
            case topic, partition, offset, timestamp
            case keyBase64 = "key_base64"
            case valueBase64 = "value_base64"
            case valueBytes = "value_bytes"
            case valueTruncated = "value_truncated"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(topic, forKey: .topic)
            try container.encode(partition, forKey: .partition)
            try container.encode(offset, forKey: .offset)
            try container.encode(timestamp, forKey: .timestamp)
            try container.encode(keyBase64, forKey: .keyBase64)
            try container.encode(valueBase64, forKey: .valueBase64)
            try container.encode(valueBytes, forKey: .valueBytes)
            try container.encode(valueTruncated, forKey: .valueTruncated)
        }
    }

    public var errorCode: DeadLetterReason
    public var errorMessage: String
    /// The input's `id`, when it could be read.
    public var messageID: String?
    public var original: Original
    public var failedAt: String

    enum CodingKeys: String, CodingKey {
        case schema, original
        case errorCode = "error_code"
        case errorMessage = "error_message"
        case messageID = "message_id"
        case failedAt = "failed_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaName, forKey: .schema)
        try container.encode(errorCode, forKey: .errorCode)
        try container.encode(errorMessage, forKey: .errorMessage)
        try container.encode(messageID, forKey: .messageID)
        try container.encode(original, forKey: .original)
        try container.encode(failedAt, forKey: .failedAt)
    }
}
