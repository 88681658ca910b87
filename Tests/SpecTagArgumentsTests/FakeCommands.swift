import Foundation
import SpecTagArguments

// MARK: - A fake command tree
//
// tool
// ├── serve            every kind of option and positional argument
// ├── kafka
// │   └── topics       one positional argument, for exact help text
// ├── fail             run() throws an ordinary error
// ├── quit             run() throws ExitCode(3)
// └── conflict         init(_:) throws UsageError

enum Mode: String, CaseIterable, ArgumentValue {
    case fast
    case exact
}

struct FakeTool: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "tool",
            abstract: "Test tool.",
            version: "1.2.3",
            subcommands: [ServeFake.self, KafkaGroup.self, FailFake.self, QuitFake.self, ConflictFake.self]
        )
    }

    init(_ arguments: ParsedArguments) {}
}

struct ServeFake: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "serve",
            abstract: "Serve the fake model.",
            discussion: "The fake service reads an input file and writes tagged output. This paragraph is long "
                + "enough that the help has to wrap it to one hundred columns at word boundaries."
        )
    }

    static var options: [OptionSpec] {
        [
            .option("max-draft", short: "k", valueName: "n", help: "Maximum number of draft tags per verification step.",
                    default: 8, environment: "TOOL_MAX_DRAFT"),
            .option("model", valueName: "path", help: "Model folder.", required: true, environment: "TOOL_MODEL"),
            .option("timeout", valueName: "duration", help: "Maximum time to wait for a batch.", default: "5s"),
            .option("mode", valueName: "mode", help: "Verification mode: fast or exact.", default: "fast"),
            .option("threshold", valueName: "x", help: "Acceptance threshold, a probability from 0 to 1."),
            .flag("verbose", short: "v", help: "Log every batch.", environment: "TOOL_VERBOSE"),
            .flag("quiet", short: "q", help: "Log nothing."),
            .flag("commit", help: "Commit offsets after each batch.", default: true, environment: "TOOL_COMMIT"),
            .repeated("set", short: "X", valueName: "key=value", help: "Kafka client setting.",
                      environment: "TOOL_KAFKA", environmentSeparator: ";"),
            .positional("input", help: "Input file."),
            .positional("output", help: "Output file.", arity: .optional),
            .positional("extra", help: "Further input files.", arity: .variadic),
        ]
    }

    let maxDraft: Int
    let model: String
    let timeout: Duration
    let mode: Mode
    let threshold: Double?
    let verbose: Bool
    let quiet: Bool
    let commit: Bool
    let settings: [KeyValuePair]
    let input: String
    let output: String?
    let extra: [String]
    let maxDraftSource: ValueSource?

    init(_ arguments: ParsedArguments) throws {
        maxDraft = try arguments.required("max-draft")
        model = try arguments.required("model")
        timeout = try arguments.required("timeout")
        mode = try arguments.required("mode")
        threshold = try arguments.value("threshold")
        verbose = try arguments.flag("verbose")
        quiet = try arguments.flag("quiet")
        commit = try arguments.flag("commit")
        settings = try arguments.values("set")
        input = try arguments.required("input")
        output = try arguments.value("output")
        extra = try arguments.values("extra")
        maxDraftSource = try arguments.source(of: "max-draft")
    }

    func run() async throws {}
}

struct KafkaGroup: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(name: "kafka", abstract: "Inspect Kafka.", subcommands: [TopicsFake.self])
    }

    init(_ arguments: ParsedArguments) {}
}

struct TopicsFake: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(name: "topics", abstract: "List the topics of a broker.")
    }

    static var options: [OptionSpec] {
        [
            .option("broker", short: "b", valueName: "host:port", help: "Bootstrap broker address.",
                    default: "127.0.0.1:9092"),
            .positional("pattern", help: "Regular expression that topic names must match.", arity: .optional),
        ]
    }

    let broker: String
    let pattern: String?

    init(_ arguments: ParsedArguments) throws {
        broker = try arguments.required("broker")
        pattern = try arguments.value("pattern")
    }

    func run() async throws {}
}

struct BrokerUnreachable: Error, CustomStringConvertible {
    var description: String { "broker 127.0.0.1:9092 is unreachable" }
}

struct FailFake: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(name: "fail", abstract: "Fail at run time.")
    }

    init(_ arguments: ParsedArguments) {}

    func run() async throws {
        throw BrokerUnreachable()
    }
}

struct QuitFake: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(name: "quit", abstract: "Exit with status 3.")
    }

    init(_ arguments: ParsedArguments) {}

    func run() async throws {
        throw ExitCode(3)
    }
}

struct ConflictFake: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(name: "conflict", abstract: "Reject two flags together.")
    }

    static var options: [OptionSpec] {
        [.flag("left", help: "Go left."), .flag("right", help: "Go right.")]
    }

    init(_ arguments: ParsedArguments) throws {
        if try arguments.flag("left"), try arguments.flag("right") {
            throw UsageError("--left and --right cannot be used together")
        }
    }
}

/// A command whose declarations are invalid: two options share a name.
struct BrokenDefinition: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(name: "broken", abstract: "Declared twice.")
    }

    static var options: [OptionSpec] {
        [.option("model", help: "First."), .option("model", help: "Second.")]
    }

    init(_ arguments: ParsedArguments) {}
}

/// A command that reads a name it did not declare.
struct UndeclaredRead: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(name: "undeclared", abstract: "Reads an undeclared option.")
    }

    init(_ arguments: ParsedArguments) throws {
        _ = try arguments.value("missing", as: String.self)
    }
}
