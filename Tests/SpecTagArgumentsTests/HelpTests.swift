import XCTest

@testable import SpecTagArguments

final class HelpTests: XCTestCase {
    func testLeafHelpExactText() throws {
        let expected = """
            Usage: tool kafka topics [<options>] [<pattern>]

            List the topics of a broker.

            Arguments:
              <pattern>  Regular expression that topic names must match. (optional)

            Options:
              -b, --broker <host:port>  Bootstrap broker address. (default: 127.0.0.1:9092)
              -h, --help                Show this help and exit.

            """
        XCTAssertEqual(try helpText(["kafka", "topics", "--help"]), expected)
    }

    func testRootHelpListsCommandsAndVersion() throws {
        let help = try helpText(["--help"])
        XCTAssertTrue(help.hasPrefix("Usage: tool <command>\n\nTest tool.\n"), help)
        XCTAssertTrue(help.contains("\n  serve     Serve the fake model.\n"), help)
        XCTAssertTrue(help.contains("\n  kafka     Inspect Kafka.\n"), help)
        XCTAssertTrue(help.contains("      --version  Show the version and exit."), help)
        XCTAssertTrue(help.contains("Run 'tool <command> --help' for more information on a command."), help)
    }

    func testHelpIsReachableAtEveryLevel() throws {
        let serveHelp = try helpText(["serve", "--help"])
        XCTAssertEqual(try helpText(["serve", "-h"]), serveHelp)
        XCTAssertEqual(try helpText(["help", "serve"]), serveHelp)
        XCTAssertEqual(try helpText(["serve", "--model", "m", "-k", "abc", "--help"]), serveHelp,
                       "help wins over errors elsewhere on the line")

        let topicsHelp = try helpText(["kafka", "topics", "-h"])
        XCTAssertEqual(try helpText(["help", "kafka", "topics"]), topicsHelp)
        XCTAssertEqual(try helpText(["kafka", "help", "topics"]), topicsHelp)
        XCTAssertEqual(try helpText(["help"]), try helpText(["--help"]))
    }

    func testHelpAfterDoubleDashIsPositional() throws {
        let serve = try parseCommand(["serve", "--model", "m", "--", "--help"], as: ServeFake.self)
        XCTAssertEqual(serve.input, "--help")
    }

    func testHelpForUnknownCommandIsUsageError() {
        XCTAssertEqual(parseError(["help", "sevre"])?.message, "unknown command 'sevre'; did you mean 'serve'?")
    }

    func testOptionRowsShowDefaultsEnvironmentAndKinds() throws {
        let help = try helpText(["serve", "--help"])
        XCTAssertTrue(help.contains("-k, --max-draft <n>"), help)
        XCTAssertTrue(help.contains("per verification step. (default: 8, env:\n"), help)
        XCTAssertTrue(help.contains("\n                            TOOL_MAX_DRAFT)\n"), "continuation aligns with the help column")
        XCTAssertTrue(help.contains("    --model <path>"), help)
        XCTAssertTrue(help.contains("Model folder. (required, env: TOOL_MODEL)"), help)
        XCTAssertTrue(help.contains("-v, --verbose "), help)
        XCTAssertTrue(help.contains("    --[no-]commit "), help)
        XCTAssertTrue(help.contains("Commit offsets after each batch. (default: true, env: TOOL_COMMIT)"), help)
        XCTAssertTrue(help.contains("-X, --set <key=value>"), help)
        XCTAssertTrue(help.contains("Kafka client setting. (repeatable, env: TOOL_KAFKA)"), help)
        XCTAssertTrue(help.contains("  <extra> ..."), help)
        XCTAssertFalse(help.contains("Log every batch. (default: false"), "false flag defaults are not shown")
    }

    func testHelpLinesFitWithinHundredColumns() throws {
        for arguments in [["--help"], ["serve", "--help"], ["kafka", "--help"], ["kafka", "topics", "--help"]] {
            let help = try helpText(arguments)
            for line in help.split(separator: "\n") {
                XCTAssertLessThanOrEqual(line.count, 100, "\(arguments): \(line)")
            }
        }
        let serveHelp = try helpText(["serve", "--help"])
        XCTAssertTrue(serveHelp.contains(" long enough that\nthe help has to wrap"), "the discussion wraps at a word boundary: \(serveHelp)")
    }

    func testWrapIndentsContinuationLines() {
        let text = String(repeating: "word ", count: 30)
        let wrapped = HelpFormatter.wrap(text, width: 40, firstPrefix: "  -x  ", restPrefix: "      ")
        let lines = wrapped.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 3)
        XCTAssertTrue(lines[0].hasPrefix("  -x  word"))
        for line in lines {
            XCTAssertLessThanOrEqual(line.count, 40)
        }
        for line in lines.dropFirst() {
            XCTAssertTrue(line.hasPrefix("      word"), String(line))
        }
    }

    func testLongLabelMovesHelpToNextLine() {
        let help = HelpFormatter.help(for: [LongLabelFake.self])
        // The label column is capped at 30 characters, so help text starts at column 2 + 30 + 2.
        let helpIndent = String(repeating: " ", count: 34)
        XCTAssertTrue(help.contains("\n  -a, --a-very-long-option-name-indeed <value>\n\(helpIndent)Sets something.\n"), help)
        XCTAssertTrue(help.contains("\n      --short <n>                 Sets something short.\n"), help)
        XCTAssertTrue(help.contains("\n  -h, --help                      Show this help and exit.\n"), help)
    }

    func testWordWiderThanLineIsKeptWhole() {
        let word = String(repeating: "x", count: 40)
        XCTAssertEqual(HelpFormatter.wrap(word, width: 10, firstPrefix: "", restPrefix: ""), word)
    }
}

/// A command whose option label is wider than the label column.
private struct LongLabelFake: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(name: "long", abstract: "Long labels.")
    }

    static var options: [OptionSpec] {
        [
            .option("a-very-long-option-name-indeed", short: "a", help: "Sets something."),
            .option("short", valueName: "n", help: "Sets something short."),
        ]
    }

    init(_ arguments: ParsedArguments) {}
}
