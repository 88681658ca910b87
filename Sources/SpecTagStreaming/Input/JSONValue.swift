import Foundation

// MARK: - JSON value

/// A decoded JSON value that keeps the JSON type of every value, so that validation can
/// report "expected a string, got number" in JSON Schema terms.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Writes the value back as JSON. A number without a fractional part that fits in
    /// `Int64` is written as an integer, so `3` stays `3` and does not become `3.0`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null:
            try container.encodeNil()
        case .bool(let bool):
            try container.encode(bool)
        case .number(let number):
            if let integer = integerValue {
                try container.encode(integer)
            } else {
                try container.encode(number)
            }
        case .string(let string):
            try container.encode(string)
        case .array(let array):
            try container.encode(array)
        case .object(let object):
            try container.encode(object)
        }
    }

    /// The JSON Schema type name: `null`, `boolean`, `number`, `string`, `array` or `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The number as an integer when it has no fractional part and fits in `Int64` exactly,
    /// or `nil` for any other value.
    public var integerValue: Int64? {
        guard case .number(let number) = self, number.rounded() == number, abs(number) < 9.0e15 else { return nil }
        return Int64(number)
    }

    /// The string, or `nil` for any other type.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// Parses `data` as one JSON value.
    ///
    /// - Throws: `DecodingError` for text that is not JSON.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Returns where and why `data` is not valid JSON, as Foundation's `JSONSerialization`
    /// reports it (for example "Invalid value around character 10."), or `nil` when it parses.
    ///
    /// `JSONDecoder` reports only "The given data was not valid JSON.", so error messages use
    /// this description after ``parse(_:)`` has failed.
    public static func syntaxProblem(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            return (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
        }
    }
}
