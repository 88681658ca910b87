// MARK: - Typed values

/// A type that a command-line string converts to, such as `Int` for `--max-draft 8`.
///
/// Conform a `String`-backed `CaseIterable` enum with an empty extension:
/// `extension LogFormat: ArgumentValue {}`.
public protocol ArgumentValue: Sendable {
    /// Converts `argument`, returning `nil` when it is invalid.
    init?(argument: String)

    /// What a valid value is, completing the sentence "'abc' is not …": `an integer`.
    static var expectedDescription: String { get }
}

extension String: ArgumentValue {
    public init?(argument: String) {
        self = argument
    }

    public static var expectedDescription: String { "a string" }
}

extension Bool: ArgumentValue {
    /// Accepts `true`, `false`, `1`, `0`, `yes`, `no`, `on` and `off`, ignoring case.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "true", "1", "yes", "on": self = true
        case "false", "0", "no", "off": self = false
        default: return nil
        }
    }

    public static var expectedDescription: String { "a boolean (true or false)" }
}

extension Double: ArgumentValue {
    /// Accepts finite decimal numbers such as `0.5`, `-3` or `1e-4`.
    public init?(argument: String) {
        guard let value = Double(argument), value.isFinite else { return nil }
        self = value
    }

    public static var expectedDescription: String { "a number" }
}

extension Float: ArgumentValue {
    public init?(argument: String) {
        guard let value = Float(argument), value.isFinite else { return nil }
        self = value
    }

    public static var expectedDescription: String { "a number" }
}

// MARK: Integers

extension Int: ArgumentValue {
    public init?(argument: String) { self.init(argument) }
    public static var expectedDescription: String { "an integer" }
}

extension Int32: ArgumentValue {
    public init?(argument: String) { self.init(argument) }
    public static var expectedDescription: String { integerRangeDescription(Self.self) }
}

extension Int64: ArgumentValue {
    public init?(argument: String) { self.init(argument) }
    public static var expectedDescription: String { "an integer" }
}

extension UInt: ArgumentValue {
    public init?(argument: String) { self.init(argument) }
    public static var expectedDescription: String { "a non-negative integer" }
}

extension UInt16: ArgumentValue {
    public init?(argument: String) { self.init(argument) }
    public static var expectedDescription: String { integerRangeDescription(Self.self) }
}

extension UInt32: ArgumentValue {
    public init?(argument: String) { self.init(argument) }
    public static var expectedDescription: String { integerRangeDescription(Self.self) }
}

extension UInt64: ArgumentValue {
    public init?(argument: String) { self.init(argument) }
    public static var expectedDescription: String { "a non-negative integer" }
}

private func integerRangeDescription<Integer: FixedWidthInteger>(_: Integer.Type) -> String {
    "an integer from \(Integer.min) to \(Integer.max)"
}

// MARK: Enumerations

extension ArgumentValue where Self: RawRepresentable, Self.RawValue == String, Self: CaseIterable {
    public init?(argument: String) {
        self.init(rawValue: argument)
    }

    public static var expectedDescription: String {
        "one of " + allCases.map(\.rawValue).joined(separator: ", ")
    }
}

// MARK: Key-value pairs

/// A `key=value` argument, as in `-X bootstrap.servers=127.0.0.1:9092`.
///
/// The key is the text before the first `=` and must not be empty. The value may be empty
/// and may contain further `=` characters.
public struct KeyValuePair: ArgumentValue, Equatable {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    public init?(argument: String) {
        guard let separator = argument.firstIndex(of: "="), separator != argument.startIndex else {
            return nil
        }
        key = String(argument[..<separator])
        value = String(argument[argument.index(after: separator)...])
    }

    public static var expectedDescription: String { "a key=value pair" }
}

// MARK: Durations

extension Duration: ArgumentValue {
    /// Accepts a non-negative number followed by a unit: `ms`, `s`, `m` or `h` (`250ms`, `1.5s`, `2m`).
    public init?(argument: String) {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for unit in units where argument.hasSuffix(unit.suffix) {
            let number = argument.dropLast(unit.suffix.count)
            guard let amount = Double(number), amount.isFinite, amount >= 0 else { return nil }
            let totalMilliseconds = (amount * unit.seconds * 1000).rounded()
            guard totalMilliseconds <= Double(Int64.max) else { return nil }
            self = .milliseconds(Int64(totalMilliseconds))
            return
        }
        return nil
    }

    public static var expectedDescription: String { "a duration such as 250ms, 5s, 2m or 1h" }
}
