// MARK: - Parsed arguments

/// Origin of a parsed value.
public enum ValueSource: Sendable, Equatable {
    case commandLine
    /// The named environment variable.
    case environment(String)
    case defaultValue
}

/// The values of one command's options and arguments, read by the command's `init(_:)`.
///
/// Values are stored as text and converted on access, so a conversion error names the option,
/// the text and the expected type: `--max-draft: 'abc' is not an integer`.
/// Every accessor throws ``UsageError`` for a name that the command did not declare,
/// because that is a bug that tests should catch.
public struct ParsedArguments: Sendable {
    struct RawValue: Sendable, Equatable {
        var text: String
        var source: ValueSource
    }

    /// Names of the commands from the root to this one, such as `["spectag", "serve"]`.
    public let commandPath: [String]
    let specs: [OptionSpec]
    let values: [String: [RawValue]]

    init(commandPath: [String], specs: [OptionSpec], values: [String: [RawValue]]) {
        self.commandPath = commandPath
        self.specs = specs
        self.values = values
    }

    // MARK: Typed access

    /// Returns the value of an option or positional argument, or `nil` when it is absent and has no default.
    ///
    /// - Throws: ``UsageError`` when the text does not convert to `T`.
    public func value<T: ArgumentValue>(_ name: String, as type: T.Type = T.self) throws -> T? {
        let spec = try declaredSpec(name)
        guard let raw = values[name]?.last else { return nil }
        return try convert(raw, of: spec, to: type)
    }

    /// Returns the value of an option or positional argument that must be present.
    ///
    /// - Throws: ``UsageError`` when the value is absent or does not convert to `T`.
    public func required<T: ArgumentValue>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let value = try value(name, as: type) else {
            let spec = try declaredSpec(name)
            throw UsageError(missingMessage(for: spec))
        }
        return value
    }

    /// Returns every value of a repeated option or variadic argument, in command-line order.
    /// For a single-valued option it returns zero or one value.
    ///
    /// - Throws: ``UsageError`` naming the first value that does not convert to `T`.
    public func values<T: ArgumentValue>(_ name: String, as type: T.Type = T.self) throws -> [T] {
        let spec = try declaredSpec(name)
        return try (values[name] ?? []).map { try convert($0, of: spec, to: type) }
    }

    /// Returns whether a flag is set.
    public func flag(_ name: String) throws -> Bool {
        try value(name, as: Bool.self) ?? false
    }

    /// Returns the text of an option as given, before conversion.
    public func text(_ name: String) throws -> String? {
        _ = try declaredSpec(name)
        return values[name]?.last?.text
    }

    /// Returns where the value of `name` came from, or `nil` when it is absent.
    public func source(of name: String) throws -> ValueSource? {
        _ = try declaredSpec(name)
        return values[name]?.last?.source
    }

    // MARK: Helpers

    private func declaredSpec(_ name: String) throws -> OptionSpec {
        guard let spec = specs.first(where: { $0.name == name }) else {
            let command = commandPath.joined(separator: " ")
            throw UsageError("internal error: '\(command)' reads '\(name)', which it does not declare")
        }
        return spec
    }

    private func convert<T: ArgumentValue>(_ raw: RawValue, of spec: OptionSpec, to type: T.Type) throws -> T {
        if let value = T(argument: raw.text) {
            return value
        }
        var origin = ""
        if case .environment(let variable) = raw.source {
            origin = " from \(variable)"
        }
        throw UsageError("\(spec.displayName): '\(raw.text)'\(origin) is not \(T.expectedDescription)")
    }
}

func missingMessage(for spec: OptionSpec) -> String {
    if spec.isPositional {
        return "missing required argument \(spec.displayName)"
    }
    var message = "missing required option \(spec.displayName)"
    if let variable = spec.environmentVariable {
        message += " (or set \(variable))"
    }
    return message
}
