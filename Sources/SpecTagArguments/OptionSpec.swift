// MARK: - Option specification

/// Declaration of one option, flag, repeated option or positional argument of a ``Command``.
///
/// Make specs with the factory functions ``option(_:short:valueName:help:default:required:environment:)``,
/// ``flag(_:short:help:default:invertible:environment:)``,
/// ``repeated(_:short:valueName:help:environment:environmentSeparator:)`` and
/// ``positional(_:help:arity:)``. The ``name`` is the long option name without dashes
/// (`max-draft` for `--max-draft`) and the key for ``ParsedArguments``.
public struct OptionSpec: Sendable {
    public enum Kind: Sendable, Equatable {
        /// `--name value`, `--name=value` or `-k value`. The last occurrence wins.
        case option
        /// `--name` sets true. An invertible flag also accepts `--no-name`, which sets false.
        case flag
        /// `-X key=value -X k2=v2`: every occurrence is kept, in order.
        case repeated
        /// An argument identified by its position.
        case positional(PositionalArity)
    }

    public enum PositionalArity: Sendable, Equatable {
        case required
        case optional
        /// Zero or more values. Only the last positional argument may be variadic.
        case variadic
    }

    public let name: String
    public let shortName: Character?
    public let kind: Kind
    /// Placeholder for the value in the help, such as `n` in `--max-draft <n>`.
    public let valueName: String
    public let help: String
    /// Value used when neither the command line nor the environment gives one, shown in the help.
    public let defaultValue: String?
    /// Whether the option must be given on the command line or in the environment.
    public let isRequired: Bool
    /// Environment variable read when the option is absent from the command line.
    public let environmentVariable: String?
    /// Separator of several values in the environment variable of a repeated option.
    public let environmentSeparator: Character?
    /// Whether a flag also accepts `--no-<name>`.
    public let isInvertible: Bool

    // MARK: Factories

    /// Declares an option that takes one value.
    ///
    /// - Parameters:
    ///   - help: what the option sets, including the unit of the value.
    ///   - default: value used when the option is absent, shown in the help.
    ///   - required: whether the option must be given when it has no default.
    ///   - environment: variable read when the option is absent from the command line.
    public static func option(
        _ name: String,
        short: Character? = nil,
        valueName: String = "value",
        help: String,
        default defaultValue: (any CustomStringConvertible)? = nil,
        required: Bool = false,
        environment: String? = nil
    ) -> OptionSpec {
        OptionSpec(
            name: name, shortName: short, kind: .option, valueName: valueName, help: help,
            defaultValue: defaultValue?.description, isRequired: required,
            environmentVariable: environment, environmentSeparator: nil, isInvertible: false
        )
    }

    /// Declares a boolean flag.
    ///
    /// - Parameters:
    ///   - invertible: whether `--no-<name>` is accepted. It defaults to true for a flag whose
    ///     default is true, because such a flag could not be turned off otherwise.
    ///   - environment: variable read when the flag is absent from the command line. It accepts
    ///     `true`, `false`, `1`, `0`, `yes`, `no`, `on` and `off`.
    public static func flag(
        _ name: String,
        short: Character? = nil,
        help: String,
        default defaultValue: Bool = false,
        invertible: Bool? = nil,
        environment: String? = nil
    ) -> OptionSpec {
        OptionSpec(
            name: name, shortName: short, kind: .flag, valueName: "", help: help,
            defaultValue: String(defaultValue), isRequired: false,
            environmentVariable: environment, environmentSeparator: nil,
            isInvertible: invertible ?? defaultValue
        )
    }

    /// Declares an option that may be given several times, each value kept in order.
    ///
    /// - Parameter environmentSeparator: splits the environment variable into several values.
    ///   Pick one that cannot occur inside a value, such as `;` for Kafka settings whose
    ///   values contain commas.
    public static func repeated(
        _ name: String,
        short: Character? = nil,
        valueName: String = "value",
        help: String,
        environment: String? = nil,
        environmentSeparator: Character = ","
    ) -> OptionSpec {
        OptionSpec(
            name: name, shortName: short, kind: .repeated, valueName: valueName, help: help,
            defaultValue: nil, isRequired: false,
            environmentVariable: environment, environmentSeparator: environmentSeparator, isInvertible: false
        )
    }

    /// Declares a positional argument. Required arguments must come before optional ones, and a
    /// variadic argument must be last.
    public static func positional(_ name: String, help: String, arity: PositionalArity = .required) -> OptionSpec {
        OptionSpec(
            name: name, shortName: nil, kind: .positional(arity), valueName: name, help: help,
            defaultValue: nil, isRequired: arity == .required,
            environmentVariable: nil, environmentSeparator: nil, isInvertible: false
        )
    }

    // MARK: Display

    var isPositional: Bool {
        if case .positional = kind { return true }
        return false
    }

    /// Name of this option in error messages: `--max-draft` or `<input>`.
    var displayName: String {
        isPositional ? "<\(name)>" : "--\(name)"
    }
}
