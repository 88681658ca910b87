// MARK: - Command

/// A command or subcommand of a git-style tool: `tool <command> [<subcommand>] [options] [arguments]`.
///
/// Each command is a type. Its ``options`` declare the options and positional arguments with their
/// help text, and `init(_:)` reads them through typed accessors:
///
/// ```swift
/// struct ServeCommand: Command {
///     static let configuration = CommandConfiguration(name: "serve", abstract: "Tag news from a Kafka topic.")
///     static let options: [OptionSpec] = [
///         .option("max-draft", short: "k", valueName: "n", help: "Maximum number of draft tags per step.", default: 8),
///     ]
///     let maxDraft: Int
///     init(_ arguments: ParsedArguments) throws {
///         maxDraft = try arguments.required("max-draft", as: Int.self)
///     }
///     func run() async throws { ... }
/// }
/// ```
///
/// A command with ``CommandConfiguration/subcommands`` is a group. When no subcommand is given,
/// the group itself runs, and the default `run()` prints the group's help and exits with status 64.
public protocol Command: Sendable {
    static var configuration: CommandConfiguration { get }

    /// Options, flags and positional arguments, in the order the help lists them.
    static var options: [OptionSpec] { get }

    /// Reads and validates the parsed values.
    ///
    /// - Throws: ``UsageError`` for an invalid combination of values, which the tool reports
    ///   with the usage line and exit status 64. The accessors of ``ParsedArguments`` throw
    ///   ``UsageError`` already. Any other error exits with status 1.
    init(_ arguments: ParsedArguments) throws

    /// Runs the command.
    ///
    /// - Throws: any error, which the tool prints as `Error: <message>` before exiting with
    ///   status 1, or ``ExitCode`` to exit with a given status and no message.
    func run() async throws
}

extension Command {
    public static var options: [OptionSpec] { [] }

    /// Reports that a subcommand is required; the tool prints the help and exits with status 64.
    public func run() async throws {
        throw SubcommandRequired()
    }
}

/// Thrown by the default `run()` of a group command.
struct SubcommandRequired: Error {}

// MARK: - Configuration

/// Name, help text and subcommands of a ``Command``.
public struct CommandConfiguration: Sendable {
    /// Name typed on the command line, such as `serve`.
    public var name: String
    /// One-line summary shown in the parent's command list and at the top of the help.
    public var abstract: String
    /// Longer description shown in the command's own help, wrapped to 100 columns.
    /// Blank lines separate paragraphs.
    public var discussion: String
    /// Version printed by `--version`. Only the root's version is used.
    public var version: String?
    public var subcommands: [any Command.Type]

    public init(
        name: String,
        abstract: String,
        discussion: String = "",
        version: String? = nil,
        subcommands: [any Command.Type] = []
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.version = version
        self.subcommands = subcommands
    }
}
