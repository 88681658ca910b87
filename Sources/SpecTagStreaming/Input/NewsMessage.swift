// MARK: - News message

/// A news message from the input topic that passed validation.
///
/// The fields follow `schemas/news.input.schema.json`. At least one of ``headline`` and
/// ``body`` contains text; a field that is present but blank is kept as given and not tagged.
public struct NewsMessage: Sendable, Equatable {
    public var id: String
    public var headline: String?
    public var body: String?
    public var source: String?
    /// The RFC 3339 date-time as given in the input.
    public var publishedAt: String?
    /// Ticker symbols, empty when the input has none.
    public var tickers: [String]
    /// The `lang` field as given, such as `en`.
    public var language: String?

    public init(
        id: String,
        headline: String? = nil,
        body: String? = nil,
        source: String? = nil,
        publishedAt: String? = nil,
        tickers: [String] = [],
        language: String? = nil
    ) {
        self.id = id
        self.headline = headline
        self.body = body
        self.source = source
        self.publishedAt = publishedAt
        self.tickers = tickers
        self.language = language
    }

    /// The fields to tag, in order: the headline, then the body, each only when it contains text.
    public var taggedFields: [(field: NewsField, text: String)] {
        var fields: [(NewsField, String)] = []
        if let headline, containsText(headline) {
            fields.append((.headline, headline))
        }
        if let body, containsText(body) {
            fields.append((.body, body))
        }
        return fields
    }

    /// Unicode code points in the fields to tag, the cost of the message in a batch.
    public var textLength: Int {
        taggedFields.reduce(0) { $0 + $1.text.unicodeScalars.count }
    }

    /// The headline, or the first 200 characters of the body when the headline is blank,
    /// as the entity-sentiment records carry it.
    public var displayHeadline: String {
        if let headline, containsText(headline) {
            return headline
        }
        return String((body ?? "").prefix(200))
    }
}

/// The field of a news message that an entity mention is in.
public enum NewsField: String, Sendable, Codable, CaseIterable {
    case headline
    case body
}

/// Returns whether `text` contains a code point that is not white space (Unicode
/// `White_Space`), the rule behind the schema's `"pattern": "\\S"`.
func containsText(_ text: String) -> Bool {
    text.unicodeScalars.contains { !$0.properties.isWhitespace }
}
