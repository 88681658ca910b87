import Foundation

// MARK: - Input validation

/// Turns the value of an input record into a ``NewsMessage`` or the reason it must go to the
/// dead-letter topic.
///
/// The checks implement `schemas/news.input.schema.json` by hand, in this order, and the
/// first failing step decides the reason:
///
/// 1. `too_large`: the value has more than ``maximumMessageBytes`` bytes.
/// 2. `invalid_json`: the value is null (a tombstone); `invalid_utf8`: the bytes are not UTF-8.
/// 3. `invalid_json`: the text is not JSON.
/// 4. `schema_violation`: the JSON is not an object, `id` is missing or empty, or a field
///    has the wrong type or format. The message lists every violation.
/// 5. `no_text`: neither `headline` nor `body` contains a non-white-space character. The
///    schema rejects this case too; it gets its own reason because it is common.
///
/// Fields that the schema does not name are allowed and ignored.
public struct NewsMessageDecoder: Sendable {
    /// Values larger than this many bytes are rejected as `too_large`.
    public var maximumMessageBytes: Int

    public init(maximumMessageBytes: Int = 1_048_576) {
        self.maximumMessageBytes = maximumMessageBytes
    }

    /// Validates `value` and returns the message or the rejection.
    public func decode(_ value: Data?) -> Result<NewsMessage, InputRejection> {
        guard let value else {
            return .failure(InputRejection(reason: .invalidJSON, message: "the record value is null; expected a JSON object"))
        }
        guard value.count <= maximumMessageBytes else {
            return .failure(InputRejection(
                reason: .tooLarge,
                message: "the value has \(value.count) bytes, more than max_message_bytes (\(maximumMessageBytes))"
            ))
        }
        if let problem = invalidUTF8Description(of: value) {
            return .failure(InputRejection(reason: .invalidUTF8, message: "the value is not valid UTF-8: \(problem)"))
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(value)
        } catch {
            let problem = JSONValue.syntaxProblem(in: value) ?? describe(error)
            return .failure(InputRejection(reason: .invalidJSON, message: "the value is not valid JSON: \(problem)"))
        }
        return validate(json)
    }

    /// Applies the schema rules to parsed JSON.
    public func validate(_ json: JSONValue) -> Result<NewsMessage, InputRejection> {
        guard case .object(let fields) = json else {
            return .failure(InputRejection(
                reason: .schemaViolation,
                message: "the value must be a JSON object, got \(json.typeName)"
            ))
        }
        var violations: [String] = []
        let id = readID(fields, violations: &violations)
        let headline = readString("headline", fields, violations: &violations)
        let body = readString("body", fields, violations: &violations)
        let source = readString("source", fields, violations: &violations)
        let language = readString("lang", fields, violations: &violations)
        let publishedAt = readString("published_at", fields, violations: &violations)
        if let publishedAt, let problem = RFC3339.problem(in: publishedAt) {
            violations.append("published_at: \(problem), got \"\(publishedAt.prefix(40))\"")
        }
        let tickers = readTickers(fields, violations: &violations)

        guard violations.isEmpty, let id else {
            return .failure(InputRejection(
                reason: .schemaViolation,
                message: violations.joined(separator: "; "),
                messageID: id
            ))
        }
        let message = NewsMessage(
            id: id, headline: headline, body: body, source: source,
            publishedAt: publishedAt, tickers: tickers, language: language
        )
        guard !message.taggedFields.isEmpty else {
            return .failure(InputRejection(
                reason: .noText,
                message: "neither headline nor body contains text",
                messageID: id
            ))
        }
        return .success(message)
    }

    // MARK: Fields

    private func readID(_ fields: [String: JSONValue], violations: inout [String]) -> String? {
        guard let value = fields["id"] else {
            violations.append("id: the required field is missing")
            return nil
        }
        guard case .string(let id) = value else {
            violations.append("id: expected a string, got \(value.typeName)")
            return nil
        }
        guard !id.isEmpty else {
            violations.append("id: must not be empty")
            return nil
        }
        return id
    }

    private func readString(_ name: String, _ fields: [String: JSONValue], violations: inout [String]) -> String? {
        guard let value = fields[name] else { return nil }
        guard case .string(let string) = value else {
            violations.append("\(name): expected a string, got \(value.typeName)")
            return nil
        }
        return string
    }

    private func readTickers(_ fields: [String: JSONValue], violations: inout [String]) -> [String] {
        guard let value = fields["tickers"] else { return [] }
        guard case .array(let items) = value else {
            violations.append("tickers: expected an array of strings, got \(value.typeName)")
            return []
        }
        var tickers: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let ticker) = item else {
                violations.append("tickers[\(index)]: expected a string, got \(item.typeName)")
                continue
            }
            tickers.append(ticker)
        }
        return tickers
    }

    // MARK: Errors

    /// Returns a one-line description of a JSON parse error, without Swift type names.
    private func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "\(error)" }
        switch decodingError {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
             .keyNotFound(_, let context):
            if let underlying = context.underlyingError {
                return "\(context.debugDescription) (\(underlying.localizedDescription))"
            }
            return context.debugDescription
        @unknown default:
            return "\(decodingError)"
        }
    }
}
