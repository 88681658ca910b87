import XCTest

@testable import SpecTagArguments

final class ArgumentErrorTests: XCTestCase {
    private let serveBase = ["serve", "--model", "m", "in.txt"]

    // MARK: Unknown names

    func testUnknownOptionSuggestsClosestName() {
        let error = parseError(serveBase + ["--max-drat", "3"])
        XCTAssertEqual(error?.message, "unknown option '--max-drat'; did you mean '--max-draft'?")
        XCTAssertEqual(error?.exitStatus, 64)
        XCTAssertEqual(error?.commandPath, ["tool", "serve"])
    }

    func testUnknownOptionWithoutCloseName() {
        let error = parseError(serveBase + ["--completely-different"])
        XCTAssertEqual(error?.message, "unknown option '--completely-different'")
    }

    func testUnknownShortOption() {
        XCTAssertEqual(parseError(serveBase + ["-z"])?.message, "unknown option '-z'")
        XCTAssertEqual(parseError(serveBase + ["-vz"])?.message, "unknown option '-z' in '-vz'")
    }

    func testUnknownSubcommandSuggestsClosestName() {
        let error = parseError(["serv"])
        XCTAssertEqual(error?.message, "unknown command 'serv'; did you mean 'serve'?")
        XCTAssertEqual(error?.exitStatus, 64)
        XCTAssertEqual(error?.usage, "Usage: tool <command>")
    }

    func testUnknownNestedSubcommand() {
        let error = parseError(["kafka", "topic"])
        XCTAssertEqual(error?.message, "unknown command 'topic'; did you mean 'topics'?")
        XCTAssertEqual(error?.commandPath, ["tool", "kafka"])
    }

    // MARK: Values

    func testMissingValueAtEnd() {
        XCTAssertEqual(parseError(serveBase + ["--max-draft"])?.message, "missing value for --max-draft")
        XCTAssertEqual(parseError(serveBase + ["-k"])?.message, "missing value for -k")
    }

    func testMissingValueBeforeAnotherOption() {
        XCTAssertEqual(parseError(["serve", "in.txt", "--model", "--verbose"])?.message, "missing value for --model")
    }

    func testInvalidIntegerNamesOptionAndValue() {
        let error = parseError(serveBase + ["--max-draft", "abc"])
        XCTAssertEqual(error?.message, "--max-draft: 'abc' is not an integer")
        XCTAssertEqual(error?.exitStatus, 64)
    }

    func testInvalidValueFromEnvironmentNamesVariable() {
        let error = parseError(serveBase, environment: ["TOOL_MAX_DRAFT": "many"])
        XCTAssertEqual(error?.message, "--max-draft: 'many' from TOOL_MAX_DRAFT is not an integer")
    }

    func testInvalidEnvironmentFlag() {
        let error = parseError(serveBase, environment: ["TOOL_VERBOSE": "maybe"])
        XCTAssertEqual(error?.message, "--verbose: 'maybe' from TOOL_VERBOSE is not a boolean (true or false)")
    }

    func testInvalidEnumerationListsCases() {
        XCTAssertEqual(parseError(serveBase + ["--mode", "slow"])?.message, "--mode: 'slow' is not one of fast, exact")
    }

    func testInvalidDurationAndKeyValue() {
        XCTAssertEqual(
            parseError(serveBase + ["--timeout", "5 parsecs"])?.message,
            "--timeout: '5 parsecs' is not a duration such as 250ms, 5s, 2m or 1h"
        )
        XCTAssertEqual(parseError(serveBase + ["-X", "=value"])?.message, "--set: '=value' is not a key=value pair")
    }

    func testFlagRejectsInlineValue() {
        XCTAssertEqual(parseError(serveBase + ["--verbose=yes"])?.message, "--verbose is a flag and does not take a value")
        XCTAssertEqual(parseError(serveBase + ["--no-commit=1"])?.message, "--no-commit is a flag and does not take a value")
    }

    // MARK: Missing and extra arguments

    func testMissingRequiredArgument() {
        let error = parseError(["serve", "--model", "m"])
        XCTAssertEqual(error?.message, "missing required argument <input>")
        XCTAssertEqual(error?.usage, "Usage: tool serve [<options>] --model <path> <input> [<output>] [<extra> ...]")
    }

    func testMissingRequiredOptionNamesVariable() {
        XCTAssertEqual(parseError(["serve", "in.txt"])?.message, "missing required option --model (or set TOOL_MODEL)")
    }

    func testUnexpectedExtraArgument() {
        XCTAssertEqual(parseError(["kafka", "topics", "a", "b"])?.message, "unexpected argument 'b'")
    }

    func testUsageErrorFromInitKeepsUsageStatus() {
        let error = parseError(["conflict", "--left", "--right"])
        XCTAssertEqual(error?.message, "--left and --right cannot be used together")
        XCTAssertEqual(error?.exitStatus, 64)
    }

    // MARK: Declaration bugs

    func testDuplicateDeclarationIsInternalError() {
        let result = Result { try CommandLineTool.parse(root: BrokenDefinition.self, arguments: []) }
        guard case .failure(let error as ParseError) = result else {
            XCTFail("expected a ParseError, got \(result)")
            return
        }
        XCTAssertEqual(error.exitStatus, 1)
        XCTAssertEqual(error.message, "internal error: command 'broken' is declared incorrectly: 'model' is declared twice")
    }

    func testReadingUndeclaredNameThrows() {
        let result = Result { try CommandLineTool.parse(root: UndeclaredRead.self, arguments: []) }
        guard case .failure(let error as ParseError) = result else {
            XCTFail("expected a ParseError, got \(result)")
            return
        }
        XCTAssertEqual(error.message, "internal error: 'undeclared' reads 'missing', which it does not declare")
    }

    // MARK: Suggestions

    func testEditDistance() {
        XCTAssertEqual(editDistance("", "abc"), 3)
        XCTAssertEqual(editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(editDistance("max-drat", "max-draft"), 1)
        XCTAssertEqual(editDistance("same", "same"), 0)
        XCTAssertEqual(editDistance("sevre", "serve"), 1, "a swap of adjacent characters is one edit")
    }

    func testClosestMatchNeedsCloseCandidate() {
        XCTAssertEqual(closestMatch(to: "maxdraft", in: ["model", "max-draft"]), "max-draft")
        XCTAssertNil(closestMatch(to: "x", in: ["model", "verbose"]))
        XCTAssertNil(closestMatch(to: "serve", in: ["kafka"]))
    }
}
