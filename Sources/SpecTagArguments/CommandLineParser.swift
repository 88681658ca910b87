import Foundation

// MARK: - Parse result

/// The action that a command line selects.
public enum ParseResult: Sendable {
    /// Run this command, already initialized from its arguments.
    case command(any Command)
    /// Print this help text to standard output.
    case help(String)
    /// Print this version line to standard output.
    case version(String)
}

/// A command line that cannot be run, with what the tool prints for it.
public struct ParseError: Error, CustomStringConvertible {
    public let message: String
    /// 64 for an invalid command line, 1 for an invalid command declaration or another
    /// error thrown by a command's `init(_:)`.
    public let exitStatus: Int32
    /// Usage line of the command whose arguments failed, printed after a usage error.
    public let usage: String
    /// Names of the commands from the root to the one whose arguments failed.
    public let commandPath: [String]

    public var description: String { message }
}

// MARK: - Parser

/// Resolves the subcommand path, then parses the remaining tokens against that command's options.
///
/// Subcommand names are matched while the current command is a group and the next token does
/// not start with `-`. `help <command>...` prints the help of the named command. Everything after
/// the last subcommand belongs to that command: options in any order, positional arguments,
/// and everything after `--` as positional arguments.
struct CommandLineParser {
    let root: any Command.Type
    let environment: [String: String]

    /// The parse result and the command types from the root to the selected command.
    struct Outcome {
        var result: ParseResult
        var path: [any Command.Type]
    }

    func parse(_ arguments: [String]) throws -> Outcome {
        var path: [any Command.Type] = [root]
        var current: any Command.Type = root
        var index = 0

        while index < arguments.count, !current.configuration.subcommands.isEmpty {
            let token = arguments[index]
            if token.hasPrefix("-") { break }
            if let subcommand = current.configuration.subcommands.first(where: { $0.configuration.name == token }) {
                path.append(subcommand)
                current = subcommand
                index += 1
                continue
            }
            if token == "help" {
                return Outcome(result: try helpResult(names: arguments[(index + 1)...], from: path), path: path)
            }
            if current.options.contains(where: \.isPositional) { break }
            throw usageError(unknownCommandMessage(token, in: current), path: path)
        }

        let result = try parseCommand(path: path, tokens: Array(arguments[index...]))
        return Outcome(result: result, path: path)
    }

    // MARK: Help pseudo-command

    private func helpResult(names: ArraySlice<String>, from start: [any Command.Type]) throws -> ParseResult {
        var path = start
        for name in names where !name.hasPrefix("-") {
            guard let current = path.last else { break }
            guard let subcommand = current.configuration.subcommands.first(where: { $0.configuration.name == name }) else {
                throw usageError(unknownCommandMessage(name, in: current), path: path)
            }
            path.append(subcommand)
        }
        return .help(HelpFormatter.help(for: path))
    }

    private func unknownCommandMessage(_ name: String, in command: any Command.Type) -> String {
        let candidates = command.configuration.subcommands.map { $0.configuration.name }
        var message = "unknown command '\(name)'"
        if let suggestion = closestMatch(to: name, in: candidates) {
            message += "; did you mean '\(suggestion)'?"
        }
        return message
    }

    // MARK: One command

    private func parseCommand(path: [any Command.Type], tokens: [String]) throws -> ParseResult {
        guard let command = path.last else {
            throw ParseError(message: "internal error: empty command path", exitStatus: 1, usage: "", commandPath: [])
        }
        let specs = command.options
        let names = path.map { $0.configuration.name }
        do {
            try validateDefinition(specs, of: names.joined(separator: " "))
        } catch let error as CommandDefinitionError {
            throw ParseError(message: error.description, exitStatus: 1, usage: "", commandPath: names)
        }

        if let builtIn = builtInRequest(in: tokens, specs: specs, path: path) {
            return builtIn
        }

        var scanner = TokenScanner(tokens: tokens, specs: specs)
        let values: [String: [ParsedArguments.RawValue]]
        do {
            let scanned = try scanner.scan()
            values = try resolveValues(specs: specs, scanned: scanned)
        } catch let error as UsageError {
            throw usageError(error.message, path: path)
        }

        let arguments = ParsedArguments(commandPath: names, specs: specs, values: values)
        do {
            return .command(try command.init(arguments))
        } catch let error as UsageError {
            throw usageError(error.message, path: path)
        } catch {
            throw ParseError(message: describe(error), exitStatus: 1, usage: "", commandPath: names)
        }
    }

    /// Finds `--help`, `-h` or `--version` before any `--`, unless the command declares them itself.
    private func builtInRequest(in tokens: [String], specs: [OptionSpec], path: [any Command.Type]) -> ParseResult? {
        let declaresShortH = specs.contains { $0.shortName == "h" }
        let declaresVersion = specs.contains { $0.name == "version" }
        for token in tokens {
            if token == "--" { break }
            if token == "--help" || (token == "-h" && !declaresShortH) {
                return .help(HelpFormatter.help(for: path))
            }
            if token == "--version", !declaresVersion, let version = root.configuration.version {
                return .version("\(root.configuration.name) \(version)")
            }
        }
        return nil
    }

    // MARK: Values

    /// Assigns positional arguments, then fills absent options from the environment and defaults.
    private func resolveValues(
        specs: [OptionSpec],
        scanned: TokenScanner.Result
    ) throws -> [String: [ParsedArguments.RawValue]] {
        var values = scanned.options
        var positionals = scanned.positionals[...]

        for spec in specs {
            guard case .positional(let arity) = spec.kind else { continue }
            switch arity {
            case .required, .optional:
                if let text = positionals.popFirst() {
                    values[spec.name] = [.init(text: text, source: .commandLine)]
                } else if arity == .required {
                    throw UsageError(missingMessage(for: spec))
                }
            case .variadic:
                values[spec.name] = positionals.map { .init(text: $0, source: .commandLine) }
                positionals = []
            }
        }
        if let extra = positionals.first {
            throw UsageError("unexpected argument '\(extra)'")
        }

        for spec in specs where !spec.isPositional && values[spec.name] == nil {
            if let fromEnvironment = try environmentValues(for: spec) {
                values[spec.name] = fromEnvironment
            } else if let defaultValue = spec.defaultValue {
                values[spec.name] = [.init(text: defaultValue, source: .defaultValue)]
            } else if spec.isRequired {
                throw UsageError(missingMessage(for: spec))
            }
        }
        return values
    }

    /// Reads the option's environment variable; an unset or empty variable counts as absent.
    private func environmentValues(for spec: OptionSpec) throws -> [ParsedArguments.RawValue]? {
        guard let variable = spec.environmentVariable,
              let text = environment[variable],
              !text.isEmpty
        else { return nil }

        let source = ValueSource.environment(variable)
        switch spec.kind {
        case .flag:
            guard let flag = Bool(argument: text) else {
                throw UsageError("\(spec.displayName): '\(text)' from \(variable) is not \(Bool.expectedDescription)")
            }
            return [.init(text: String(flag), source: source)]
        case .repeated:
            let parts = spec.environmentSeparator.map { separator in
                text.split(separator: separator).map(String.init)
            } ?? [text]
            return parts.map { .init(text: $0, source: source) }
        case .option, .positional:
            return [.init(text: text, source: source)]
        }
    }

    // MARK: Definition checks

    private func validateDefinition(_ specs: [OptionSpec], of command: String) throws {
        func fail(_ problem: String) -> CommandDefinitionError {
            CommandDefinitionError(command: command, problem: problem)
        }
        var names = Set<String>()
        var shortNames = Set<Character>()
        var sawOptionalPositional = false
        var sawVariadic = false

        for spec in specs {
            if spec.name.isEmpty || spec.name.hasPrefix("-") || spec.name.contains("=") || spec.name.contains(" ") {
                throw fail("invalid name '\(spec.name)'")
            }
            if spec.name == "help" {
                throw fail("'--help' is built in")
            }
            guard names.insert(spec.name).inserted else {
                throw fail("'\(spec.name)' is declared twice")
            }
            if let short = spec.shortName {
                guard short != "-", !short.isWhitespace, shortNames.insert(short).inserted else {
                    throw fail("short name '-\(short)' is invalid or declared twice")
                }
            }
            guard case .positional(let arity) = spec.kind else { continue }
            if sawVariadic {
                throw fail("positional argument <\(spec.name)> follows a variadic one")
            }
            switch arity {
            case .required where sawOptionalPositional:
                throw fail("required argument <\(spec.name)> follows an optional one")
            case .optional:
                sawOptionalPositional = true
            case .variadic:
                sawVariadic = true
            default:
                break
            }
        }
    }

    // MARK: Errors

    private func usageError(_ message: String, path: [any Command.Type]) -> ParseError {
        ParseError(
            message: message,
            exitStatus: ExitCode.usage.status,
            usage: HelpFormatter.usage(for: path),
            commandPath: path.map { $0.configuration.name }
        )
    }
}

/// Text of an error for `Error: <text>`: the `errorDescription` of a `LocalizedError`,
/// otherwise `String(describing:)`, which uses `description` when the error has one.
func describe(_ error: any Error) -> String {
    if let localized = error as? any LocalizedError, let text = localized.errorDescription {
        return text
    }
    return String(describing: error)
}
