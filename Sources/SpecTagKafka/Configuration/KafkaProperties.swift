import Foundation
import SpecTagLogging

// MARK: - Properties

/// An ordered set of librdkafka configuration properties, such as `security.protocol=SASL_SSL`.
///
/// Properties come from a Java-style `client.properties` file (``load(contentsOf:)``), from
/// `-X key=value` command-line arguments (``applyOverride(_:)``) or from code. Setting a key
/// again replaces its value and keeps its first position. librdkafka checks names and values
/// only when a client is created.
///
/// `description` replaces the values of secret keys (see ``isSecret(key:)``) with
/// `[REDACTED]`, so a configuration can be logged.
public struct KafkaProperties: Sendable, Equatable, CustomStringConvertible, ExpressibleByDictionaryLiteral {
    /// One `key=value` property.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The properties in the order their keys were first set.
    public private(set) var entries: [Entry] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (key, value) in elements {
            self[key] = value
        }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The value of `key`, or `nil` when it is not set. Assigning `nil` removes the key.
    public subscript(key: String) -> String? {
        get { entries.first { $0.key == key }?.value }
        set {
            let index = entries.firstIndex { $0.key == key }
            switch (index, newValue) {
            case let (index?, value?): entries[index].value = value
            case let (nil, value?): entries.append(Entry(key: key, value: value))
            case let (index?, nil): entries.remove(at: index)
            case (nil, nil): break
            }
        }
    }

    /// Returns these properties with `other` applied on top: keys of `other` win.
    public func merging(_ other: KafkaProperties) -> KafkaProperties {
        var merged = self
        for entry in other.entries {
            merged[entry.key] = entry.value
        }
        return merged
    }

    // MARK: Redaction

    /// Returns whether the value of `key` is a secret that must not be logged, such as
    /// `sasl.password`, `ssl.key.password`, `ssl.keystore.password`,
    /// `sasl.oauthbearer.client.secret`, `ssl.key.pem` or `sasl.oauthbearer.config`.
    ///
    /// The rule is SpecTagLogging's `isSecretConfigurationKey`, which also matches any key
    /// containing `password`, `secret`, `token` or `credential`.
    public static func isSecret(key: String) -> Bool {
        isSecretConfigurationKey(key)
    }

    /// The value of `entry` as it may be logged: `[REDACTED]` for a secret key.
    public static func loggableValue(of entry: Entry) -> String {
        redact(key: entry.key, value: entry.value)
    }

    /// The properties as `key=value` lines, with secret values redacted.
    public var description: String {
        entries.map { "\($0.key)=\(KafkaProperties.loggableValue(of: $0))" }.joined(separator: "\n")
    }

    // MARK: Loading

    /// Reads a Java-style properties file; see ``parse(_:source:)`` for the syntax.
    ///
    /// - Throws: ``KafkaPropertiesError`` naming the file when it cannot be read, is not
    ///   UTF-8, or has a syntax error.
    public static func load(contentsOf url: URL) throws -> KafkaProperties {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw KafkaPropertiesError(
                source: url.path,
                line: nil,
                problem: "the file cannot be read (\(error.localizedDescription))"
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw KafkaPropertiesError(source: url.path, line: nil, problem: "the file is not valid UTF-8")
        }
        return try parse(text, source: url.path)
    }

    /// Parses the text of a Java-style properties file.
    ///
    /// The syntax is that of `java.util.Properties.load`. An entry is `key=value`,
    /// `key: value` or `key value`, and `#` or `!` starts a comment line. A line ending in an
    /// odd number of backslashes continues on the next line, whose leading white space is
    /// dropped. Keys and values may contain the escapes `\t`, `\n`, `\r`, `\f`, `\uXXXX`
    /// and `\` followed by any other character, which is read as that character.
    /// Unlike Java, trailing white space that is not escaped is removed from values, because
    /// librdkafka would reject values such as `"SASL_SSL "`. A key given twice keeps the
    /// last value.
    ///
    /// - Parameter source: file name or other label used in error messages.
    /// - Throws: ``KafkaPropertiesError`` with the line number for an empty key or a
    ///   malformed `\u` escape.
    public static func parse(_ text: String, source: String) throws -> KafkaProperties {
        var properties = KafkaProperties()
        for line in PropertiesFileParser.logicalLines(of: text) {
            let entry = try PropertiesFileParser.parseEntry(line, source: source)
            properties[entry.key] = entry.value
        }
        return properties
    }

    // MARK: Command-line overrides

    /// Parses one `-X` argument of the form `key=value`.
    ///
    /// The value may contain further `=` characters and may be empty. The key is trimmed
    /// of surrounding white space.
    /// - Throws: ``KafkaPropertiesError`` when the `=` is missing, the key is empty or the
    ///   key contains white space. The message names the key but never the value.
    public static func parseOverride(_ argument: String) throws -> Entry {
        guard let separator = argument.firstIndex(of: "=") else {
            let loggableArgument = isSecret(key: argument) ? redactedPlaceholder : argument
            throw KafkaPropertiesError(
                source: "-X \(loggableArgument)",
                line: nil,
                problem: "expected key=value, for example -X security.protocol=SASL_SSL"
            )
        }
        let key = argument[..<separator].trimmingCharacters(in: .whitespaces)
        let value = String(argument[argument.index(after: separator)...])
        guard !key.isEmpty else {
            throw KafkaPropertiesError(source: "-X argument", line: nil, problem: "the key before '=' is empty")
        }
        guard !key.contains(where: \.isWhitespace) else {
            throw KafkaPropertiesError(
                source: "-X \(key)=…",
                line: nil,
                problem: "the key \"\(key)\" contains white space"
            )
        }
        return Entry(key: key, value: value)
    }

    /// Parses a `-X key=value` argument and sets the property, replacing an earlier value.
    ///
    /// - Throws: ``KafkaPropertiesError`` as ``parseOverride(_:)`` does.
    public mutating func applyOverride(_ argument: String) throws {
        let entry = try KafkaProperties.parseOverride(argument)
        self[entry.key] = entry.value
    }
}

// MARK: - Errors

/// A syntax error in a properties file or a `-X` argument.
public struct KafkaPropertiesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// File path, or the `-X` argument with any secret value left out.
    public let source: String
    /// 1-based line where the faulty entry starts, when the source is a file.
    public let line: Int?
    public let problem: String

    public init(source: String, line: Int?, problem: String) {
        self.source = source
        self.line = line
        self.problem = problem
    }

    public var description: String {
        if let line {
            return "invalid Kafka properties in \(source), line \(line): \(problem)"
        }
        return "invalid Kafka properties in \(source): \(problem)"
    }
}
