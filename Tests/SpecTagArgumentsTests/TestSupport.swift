import Foundation
import XCTest

import SpecTagArguments

struct UnexpectedParseResult: Error, CustomStringConvertible {
    let description: String
}

/// Parses `tool <arguments>` and returns the selected command as `T`.
func parseCommand<T: Command>(
    _ arguments: [String],
    environment: [String: String] = [:],
    as expectedType: T.Type = T.self
) throws -> T {
    let result = try CommandLineTool.parse(root: FakeTool.self, arguments: arguments, environment: environment)
    guard case .command(let command) = result else {
        throw UnexpectedParseResult(description: "expected a command, got \(result)")
    }
    guard let typed = command as? T else {
        throw UnexpectedParseResult(description: "expected \(T.self), got \(type(of: command))")
    }
    return typed
}

/// Parses `tool serve --model m in.txt <arguments>`.
func parseServe(_ arguments: [String], environment: [String: String] = [:]) throws -> ServeFake {
    try parseCommand(["serve", "--model", "m", "in.txt"] + arguments, environment: environment)
}

/// Parses `tool <arguments>` and returns the parse error, or `nil` when parsing succeeds.
func parseError(_ arguments: [String], environment: [String: String] = [:]) -> ParseError? {
    do {
        _ = try CommandLineTool.parse(root: FakeTool.self, arguments: arguments, environment: environment)
        return nil
    } catch let error as ParseError {
        return error
    } catch {
        XCTFail("expected a ParseError, got \(type(of: error)): \(error)")
        return nil
    }
}

/// Parses `tool <arguments>` and returns the help text, or throws when the result is not help.
func helpText(_ arguments: [String]) throws -> String {
    let result = try CommandLineTool.parse(root: FakeTool.self, arguments: arguments)
    guard case .help(let text) = result else {
        throw UnexpectedParseResult(description: "expected help, got \(result)")
    }
    return text
}

/// Output captured from ``CommandLineTool/run(root:arguments:environment:standardOutput:standardError:)``.
final class CapturedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var standardOutputText = ""
    private var standardErrorText = ""

    var standardOutput: String {
        lock.withLock { standardOutputText }
    }

    var standardError: String {
        lock.withLock { standardErrorText }
    }

    func appendOutput(_ text: String) {
        lock.withLock { standardOutputText += text }
    }

    func appendError(_ text: String) {
        lock.withLock { standardErrorText += text }
    }
}

/// Runs `tool <arguments>` and returns the exit status and the tool's own output.
func runTool(_ arguments: [String], root: any Command.Type = FakeTool.self) async -> (status: Int32, output: CapturedOutput) {
    let output = CapturedOutput()
    let status = await CommandLineTool.run(
        root: root,
        arguments: arguments,
        environment: [:],
        standardOutput: { output.appendOutput($0) },
        standardError: { output.appendError($0) }
    )
    return (status, output)
}
