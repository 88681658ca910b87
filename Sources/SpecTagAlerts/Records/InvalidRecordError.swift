import Foundation

// MARK: - Invalid records

/// A record that cannot be used: malformed JSON, a wrong schema, or a missing or invalid
/// field.
public struct InvalidRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON field at fault, such as `published_at`, or `nil` for the record as a whole.
    public let field: String?
    /// The problem, such as `"yesterday" is not an RFC 3339 timestamp`.
    public let problem: String

    public init(field: String?, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String {
        guard let field else { return "invalid record: \(problem)" }
        return "invalid record: field \"\(field)\": \(problem)"
    }

    /// Converts a `DecodingError` of `JSONDecoder`, naming the field path.
    init(decodingError error: DecodingError) {
        switch error {
        case .typeMismatch(let type, let context):
            self.init(field: Self.path(context.codingPath), problem: "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self.init(field: Self.path(context.codingPath), problem: "expected \(Self.describe(type)), found null")
        case .keyNotFound(let key, let context):
            self.init(field: Self.path(context.codingPath + [key]), problem: "missing")
        case .dataCorrupted(let context):
            let field = context.codingPath.isEmpty ? nil : Self.path(context.codingPath)
            let reason = (context.underlyingError as? NSError)?.localizedDescription ?? context.debugDescription
            self.init(field: field, problem: field == nil ? "not valid JSON (\(reason))" : context.debugDescription)
        @unknown default:
            self.init(field: nil, problem: "\(error)")
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            .joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Double.Type, is Int.Type, is Int64.Type: return "a number"
        case is Bool.Type: return "a boolean"
        default: return "a value of type \(type)"
        }
    }
}
