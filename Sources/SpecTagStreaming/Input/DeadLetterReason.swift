// MARK: - Dead-letter reasons

/// The reason a message went to the dead-letter topic. The raw value is the record's `error_code`.
public enum DeadLetterReason: String, Sendable, CaseIterable, Codable {
    /// The value is not valid UTF-8.
    case invalidUTF8 = "invalid_utf8"
    /// The value is UTF-8 but not JSON, or it is a null value (a tombstone).
    case invalidJSON = "invalid_json"
    /// The JSON breaks `schemas/news.input.schema.json`: a missing `id`, a wrong type or format.
    case schemaViolation = "schema_violation"
    /// Neither `headline` nor `body` contains a non-white-space character.
    case noText = "no_text"
    /// The value is larger than `max_message_bytes`.
    case tooLarge = "too_large"
    /// The tagger failed on the message, or its output could not be encoded.
    case taggingFailed = "tagging_failed"
}

/// An input message that cannot be tagged, with the reason and a message naming the problem.
public struct InputRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: DeadLetterReason
    /// The problem, naming the field, such as
    /// `tickers[1]: expected a string, got number`.
    public var message: String
    /// The message's `id`, when it could be read.
    public var messageID: String?

    public init(reason: DeadLetterReason, message: String, messageID: String? = nil) {
        self.reason = reason
        self.message = message
        self.messageID = messageID
    }

    public var description: String { "\(reason.rawValue): \(message)" }
}
