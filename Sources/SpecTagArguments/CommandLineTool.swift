import Foundation

// MARK: - Tool entry point

/// Parses a command line, runs the selected command and maps the outcome to an exit status.
///
/// | outcome | output | exit status |
/// |---|---|---|
/// | `--help`, `-h`, `help <command>` | help on standard output | 0 |
/// | `--version` | `<root name> <version>` on standard output | 0 |
/// | invalid command line | `Error: <message>`, the usage line and a hint on standard error | 64 |
/// | group command without a subcommand | its help on standard error | 64 |
/// | `run()` throws ``ExitCode`` | nothing | its status |
/// | `run()` or `init(_:)` throws another error | `Error: <message>` on standard error | 1 |
///
/// Errors never print a stack trace.
public enum CommandLineTool {
    /// Runs `root` with `CommandLine.arguments` and the process environment, then exits.
    public static func main(root: any Command.Type) async -> Never {
        let status = await run(
            root: root,
            arguments: Array(CommandLine.arguments.dropFirst()),
            environment: ProcessInfo.processInfo.environment,
            standardOutput: { text in writeAll(text, to: STDOUT_FILENO) },
            standardError: { text in writeAll(text, to: STDERR_FILENO) }
        )
        exit(status)
    }

    /// Parses `arguments` (without the program name) for `root`.
    ///
    /// - Throws: ``ParseError`` with the message and exit status for an invalid command line.
    public static func parse(
        root: any Command.Type,
        arguments: [String],
        environment: [String: String] = [:]
    ) throws -> ParseResult {
        try CommandLineParser(root: root, environment: environment).parse(arguments).result
    }

    /// Parses and runs, writing the tool's own messages to the given outputs, and returns the exit status.
    ///
    /// Commands write their own output directly; only help, version and error text goes through
    /// `standardOutput` and `standardError`, so tests can capture it.
    public static func run(
        root: any Command.Type,
        arguments: [String],
        environment: [String: String],
        standardOutput: @Sendable (String) -> Void,
        standardError: @Sendable (String) -> Void
    ) async -> Int32 {
        let outcome: CommandLineParser.Outcome
        do {
            outcome = try CommandLineParser(root: root, environment: environment).parse(arguments)
        } catch let error as ParseError {
            standardError(render(error))
            return error.exitStatus
        } catch {
            standardError("Error: \(describe(error))\n")
            return ExitCode.failure.status
        }

        switch outcome.result {
        case .help(let text):
            standardOutput(text)
            return ExitCode.success.status
        case .version(let line):
            standardOutput(line + "\n")
            return ExitCode.success.status
        case .command(let command):
            return await runCommand(command, path: outcome.path, standardError: standardError)
        }
    }

    // MARK: Helpers

    private static func runCommand(
        _ command: any Command,
        path: [any Command.Type],
        standardError: @Sendable (String) -> Void
    ) async -> Int32 {
        do {
            try await command.run()
            return ExitCode.success.status
        } catch let exitCode as ExitCode {
            return exitCode.status
        } catch is SubcommandRequired {
            standardError(HelpFormatter.help(for: path))
            return ExitCode.usage.status
        } catch {
            standardError("Error: \(describe(error))\n")
            return ExitCode.failure.status
        }
    }

    private static func render(_ error: ParseError) -> String {
        guard error.exitStatus == ExitCode.usage.status else {
            return "Error: \(error.message)\n"
        }
        let command = error.commandPath.joined(separator: " ")
        return "Error: \(error.message)\n\(error.usage)\nRun '\(command) --help' for more information.\n"
    }

    private static func writeAll(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress, buffer.count)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
