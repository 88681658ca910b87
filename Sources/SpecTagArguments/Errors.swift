// MARK: - Errors and exit codes

/// An invalid command line: unknown option, missing or invalid value, missing argument.
///
/// The tool prints `Error: <message>` and the usage line to standard error and exits with
/// status 64 (`EX_USAGE` from sysexits.h). Commands throw it from `init(_:)` for invalid
/// combinations of values.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Ends the tool with `status` and no message when thrown from `run()`.
public struct ExitCode: Error, Equatable {
    public let status: Int32

    public init(_ status: Int32) {
        self.status = status
    }

    public static let success = ExitCode(0)
    public static let failure = ExitCode(1)
    /// `EX_USAGE` from sysexits.h: the command line was invalid.
    public static let usage = ExitCode(64)
}

/// A command whose option declarations contradict each other, such as two options named
/// `--model`. This is a bug in the command, not in the command line, so it exits with status 1.
public struct CommandDefinitionError: Error, Equatable, CustomStringConvertible {
    public let command: String
    public let problem: String

    public var description: String {
        "internal error: command '\(command)' is declared incorrectly: \(problem)"
    }
}
