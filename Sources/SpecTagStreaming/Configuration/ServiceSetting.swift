import Foundation

// MARK: - One setting

/// One setting of `spectag serve`: its key in the JSON configuration file, its environment
/// variable and flag, its help text, and how its text value is parsed.
///
/// The three names derive from ``key``: `max_batch_messages` is the environment variable
/// `SPECTAG_MAX_BATCH_MESSAGES` and the flag `--max-batch-messages`.
public struct ServiceSetting: Sendable {
    /// The key in the JSON configuration file.
    public let key: String
    /// Placeholder of the value in help text, such as `n` or `ms`.
    public let valueName: String
    public let help: String
    /// The default as help text shows it, or `nil` when the default is computed or absent.
    public let defaultDescription: String?
    /// Whether the value is `true` or `false`, so the flag takes no value.
    public let isBoolean: Bool
    let apply: @Sendable (inout ServiceConfiguration, String) throws -> Void

    public var environmentVariable: String { "SPECTAG_" + key.uppercased() }
    public var flag: String { key.replacingOccurrences(of: "_", with: "-") }

    /// Parses `text` and stores the value in `configuration`.
    ///
    /// - Throws: ``SettingValueError`` naming the problem with the text.
    public func apply(_ text: String, to configuration: inout ServiceConfiguration) throws {
        try apply(&configuration, text)
    }
}

/// A text value that a setting cannot take, such as `abc` for an integer.
public struct SettingValueError: Error, Equatable, CustomStringConvertible {
    public let problem: String
    public var description: String { problem }
}

// MARK: - Setting kinds

extension ServiceSetting {
    static func string(
        _ key: String, valueName: String = "name", help: String,
        _ keyPath: WritableKeyPath<ServiceConfiguration, String>
    ) -> ServiceSetting {
        let defaultValue = ServiceConfiguration()[keyPath: keyPath]
        nonisolated(unsafe) let path = keyPath
        return ServiceSetting(key: key, valueName: valueName, help: help, defaultDescription: defaultValue, isBoolean: false) { configuration, text in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw SettingValueError(problem: "the value is empty") }
            configuration[keyPath: path] = trimmed
        }
    }

    /// Makes a string setting whose empty value means "unset".
    static func optionalString(
        _ key: String, valueName: String, help: String,
        _ keyPath: WritableKeyPath<ServiceConfiguration, String?>
    ) -> ServiceSetting {
        nonisolated(unsafe) let path = keyPath
        return ServiceSetting(key: key, valueName: valueName, help: help, defaultDescription: nil, isBoolean: false) { configuration, text in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            configuration[keyPath: path] = trimmed.isEmpty ? nil : trimmed
        }
    }

    static func integer(
        _ key: String, valueName: String = "n", help: String, range: ClosedRange<Int>,
        _ keyPath: WritableKeyPath<ServiceConfiguration, Int>
    ) -> ServiceSetting {
        let defaultValue = ServiceConfiguration()[keyPath: keyPath]
        nonisolated(unsafe) let path = keyPath
        return ServiceSetting(key: key, valueName: valueName, help: help, defaultDescription: String(defaultValue), isBoolean: false) { configuration, text in
            configuration[keyPath: path] = try parseInteger(text, range: range)
        }
    }

    /// Makes a duration setting given as an integer number of milliseconds.
    static func milliseconds(
        _ key: String, help: String, range: ClosedRange<Int>,
        _ keyPath: WritableKeyPath<ServiceConfiguration, Duration>
    ) -> ServiceSetting {
        let defaultValue = ServiceConfiguration()[keyPath: keyPath]
        let defaultMilliseconds = defaultValue.components.seconds * 1000 + defaultValue.components.attoseconds / 1_000_000_000_000_000
        nonisolated(unsafe) let path = keyPath
        return ServiceSetting(key: key, valueName: "ms", help: help, defaultDescription: String(defaultMilliseconds), isBoolean: false) { configuration, text in
            configuration[keyPath: path] = .milliseconds(try parseInteger(text, range: range))
        }
    }

    static func boolean(
        _ key: String, help: String,
        _ keyPath: WritableKeyPath<ServiceConfiguration, Bool>
    ) -> ServiceSetting {
        let defaultValue = ServiceConfiguration()[keyPath: keyPath]
        nonisolated(unsafe) let path = keyPath
        return ServiceSetting(key: key, valueName: "bool", help: help, defaultDescription: String(defaultValue), isBoolean: true) { configuration, text in
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1", "yes", "on": configuration[keyPath: path] = true
            case "false", "0", "no", "off": configuration[keyPath: path] = false
            default: throw SettingValueError(problem: "'\(text)' is not a boolean (true or false)")
            }
        }
    }

    static func choice<Choice: RawRepresentable & CaseIterable & Sendable>(
        _ key: String, help: String,
        _ keyPath: WritableKeyPath<ServiceConfiguration, Choice>
    ) -> ServiceSetting where Choice.RawValue == String {
        let defaultValue = ServiceConfiguration()[keyPath: keyPath]
        let names = Choice.allCases.map(\.rawValue)
        nonisolated(unsafe) let path = keyPath
        return ServiceSetting(
            key: key, valueName: names.joined(separator: "|"), help: help,
            defaultDescription: defaultValue.rawValue, isBoolean: false
        ) { configuration, text in
            guard let value = Choice(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
                throw SettingValueError(problem: "'\(text)' is not one of \(names.joined(separator: ", "))")
            }
            configuration[keyPath: path] = value
        }
    }

    static func parseInteger(_ text: String, range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw SettingValueError(problem: "'\(text)' is not an integer")
        }
        guard range.contains(value) else {
            throw SettingValueError(problem: "\(value) is out of range; expected \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
