// MARK: - Metadata values

/// Metadata attached to a log entry: structured fields such as `["topic": "news", "partition": 3]`.
public typealias LogMetadata = [String: LogValue]

/// One structured metadata value.
///
/// Literals convert directly (`"news"`, `6`, `0.25`, `true`, `[1, 2]`, `["k": "v"]`), and
/// string interpolation builds a `.string`. Use ``describing(_:)`` for any other value,
/// such as an error.
public enum LogValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([LogValue])
    case dictionary([String: LogValue])

    /// Wraps `String(describing:)` of any value as a string, for example `.describing(error)`.
    ///
    /// A `CustomStringConvertible` value contributes its `description`.
    public static func describing(_ value: Any) -> LogValue {
        .string(String(describing: value))
    }
}

// MARK: - Literal conformances

extension LogValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension LogValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self = .int(value)
    }
}

extension LogValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) {
        self = .double(value)
    }
}

extension LogValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension LogValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: LogValue...) {
        self = .array(elements)
    }
}

extension LogValue: ExpressibleByDictionaryLiteral {
    /// Builds a `.dictionary`. A key given twice keeps its last value.
    public init(dictionaryLiteral elements: (String, LogValue)...) {
        var dictionary: [String: LogValue] = [:]
        for (key, value) in elements {
            dictionary[key] = value
        }
        self = .dictionary(dictionary)
    }
}

// MARK: - Text form

extension LogValue: CustomStringConvertible {
    /// The value as the text log format prints it: strings bare, arrays as `[a, b]`,
    /// dictionaries as `{k: v}` with keys sorted.
    public var description: String {
        switch self {
        case .string(let string):
            return string
        case .int(let int):
            return String(int)
        case .double(let double):
            return String(double)
        case .bool(let bool):
            return String(bool)
        case .array(let array):
            return "[" + array.map(\.description).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            let fields = dictionary.keys.sorted().map { key in
                "\(key): \(dictionary[key]?.description ?? "")"
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }
    }
}
