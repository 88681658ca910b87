import XCTest

import SpecTagArguments

final class ArgumentParsingTests: XCTestCase {
    // MARK: Option forms

    func testLongOptionWithSeparateValue() throws {
        let serve = try parseServe(["--max-draft", "12", "--mode", "exact"])
        XCTAssertEqual(serve.maxDraft, 12)
        XCTAssertEqual(serve.mode, .exact)
        XCTAssertEqual(serve.model, "m")
        XCTAssertEqual(serve.input, "in.txt")
    }

    func testLongOptionWithEqualsValue() throws {
        let serve = try parseServe(["--max-draft=12", "--threshold=0.25", "--model=other=path"])
        XCTAssertEqual(serve.maxDraft, 12)
        XCTAssertEqual(serve.threshold, 0.25)
        XCTAssertEqual(serve.model, "other=path", "only the first '=' separates name and value")
    }

    func testShortOptionSeparateAttachedAndEquals() throws {
        XCTAssertEqual(try parseServe(["-k", "3"]).maxDraft, 3)
        XCTAssertEqual(try parseServe(["-k3"]).maxDraft, 3)
        XCTAssertEqual(try parseServe(["-k=3"]).maxDraft, 3)
    }

    func testBundledShortFlagsWithTrailingOption() throws {
        let serve = try parseServe(["-vqk", "4"])
        XCTAssertTrue(serve.verbose)
        XCTAssertTrue(serve.quiet)
        XCTAssertEqual(serve.maxDraft, 4)
    }

    func testLastOccurrenceOfOptionWins() throws {
        XCTAssertEqual(try parseServe(["-k", "3", "--max-draft", "5"]).maxDraft, 5)
    }

    func testOptionsMayFollowPositionals() throws {
        let serve = try parseCommand(["serve", "in.txt", "--model", "m", "out.txt", "-v"], as: ServeFake.self)
        XCTAssertEqual(serve.input, "in.txt")
        XCTAssertEqual(serve.output, "out.txt")
        XCTAssertTrue(serve.verbose)
    }

    // MARK: Flags

    func testFlagDefaultsAndInversion() throws {
        let defaults = try parseServe([])
        XCTAssertFalse(defaults.verbose)
        XCTAssertTrue(defaults.commit)

        let changed = try parseServe(["--verbose", "--no-commit"])
        XCTAssertTrue(changed.verbose)
        XCTAssertFalse(changed.commit)

        XCTAssertTrue(try parseServe(["--no-commit", "--commit"]).commit)
    }

    func testNonInvertibleFlagRejectsNoPrefix() {
        let error = parseError(["serve", "--model", "m", "in.txt", "--no-verbose"])
        XCTAssertEqual(error?.message, "unknown option '--no-verbose'; did you mean '--verbose'?")
        XCTAssertEqual(error?.exitStatus, 64)
    }

    // MARK: Repeated options

    func testRepeatedOptionKeepsEveryValueInOrder() throws {
        let serve = try parseServe(["-X", "bootstrap.servers=127.0.0.1:9092", "--set", "acks=all", "-Xlinger.ms=5"])
        XCTAssertEqual(serve.settings, [
            KeyValuePair(key: "bootstrap.servers", value: "127.0.0.1:9092"),
            KeyValuePair(key: "acks", value: "all"),
            KeyValuePair(key: "linger.ms", value: "5"),
        ])
    }

    // MARK: Positional arguments

    func testPositionalArgumentsRequiredOptionalVariadic() throws {
        let onlyRequired = try parseCommand(["serve", "--model", "m", "a"], as: ServeFake.self)
        XCTAssertEqual(onlyRequired.input, "a")
        XCTAssertNil(onlyRequired.output)
        XCTAssertEqual(onlyRequired.extra, [])

        let all = try parseCommand(["serve", "--model", "m", "a", "b", "c", "d"], as: ServeFake.self)
        XCTAssertEqual(all.input, "a")
        XCTAssertEqual(all.output, "b")
        XCTAssertEqual(all.extra, ["c", "d"])
    }

    func testDoubleDashMakesRestPositional() throws {
        let serve = try parseCommand(["serve", "--model", "m", "--", "--verbose", "-k", "-"], as: ServeFake.self)
        XCTAssertEqual(serve.input, "--verbose")
        XCTAssertEqual(serve.output, "-k")
        XCTAssertEqual(serve.extra, ["-"])
        XCTAssertFalse(serve.verbose)
        XCTAssertEqual(serve.maxDraft, 8)
    }

    func testNegativeNumbersAsValueAndPositional() throws {
        let serve = try parseCommand(["serve", "--model", "m", "--threshold", "-0.5", "-3"], as: ServeFake.self)
        XCTAssertEqual(serve.threshold, -0.5)
        XCTAssertEqual(serve.input, "-3")
    }

    func testSingleDashIsPositionalAndValue() throws {
        let serve = try parseCommand(["serve", "--model", "-", "-"], as: ServeFake.self)
        XCTAssertEqual(serve.model, "-")
        XCTAssertEqual(serve.input, "-")
    }

    // MARK: Environment and defaults

    func testEnvironmentFillsAbsentOptions() throws {
        let environment = [
            "TOOL_MODEL": "/models/env",
            "TOOL_MAX_DRAFT": "6",
            "TOOL_VERBOSE": "yes",
            "TOOL_COMMIT": "0",
            "TOOL_KAFKA": "acks=all;bootstrap.servers=a:9092,b:9092",
        ]
        let serve = try parseCommand(["serve", "in.txt"], environment: environment, as: ServeFake.self)
        XCTAssertEqual(serve.model, "/models/env")
        XCTAssertEqual(serve.maxDraft, 6)
        XCTAssertEqual(serve.maxDraftSource, .environment("TOOL_MAX_DRAFT"))
        XCTAssertTrue(serve.verbose)
        XCTAssertFalse(serve.commit)
        XCTAssertEqual(serve.settings, [
            KeyValuePair(key: "acks", value: "all"),
            KeyValuePair(key: "bootstrap.servers", value: "a:9092,b:9092"),
        ])
    }

    func testCommandLineOverridesEnvironment() throws {
        let environment = ["TOOL_MAX_DRAFT": "6", "TOOL_COMMIT": "false", "TOOL_KAFKA": "acks=all"]
        let serve = try parseServe(["-k", "2", "--commit", "-X", "acks=1"], environment: environment)
        XCTAssertEqual(serve.maxDraft, 2)
        XCTAssertEqual(serve.maxDraftSource, .commandLine)
        XCTAssertTrue(serve.commit)
        XCTAssertEqual(serve.settings, [KeyValuePair(key: "acks", value: "1")])
    }

    func testEmptyEnvironmentVariableCountsAsUnset() throws {
        let serve = try parseServe([], environment: ["TOOL_MAX_DRAFT": ""])
        XCTAssertEqual(serve.maxDraft, 8)
        XCTAssertEqual(serve.maxDraftSource, .defaultValue)
    }

    func testDefaultsApplyWhenAbsent() throws {
        let serve = try parseServe([])
        XCTAssertEqual(serve.maxDraft, 8)
        XCTAssertEqual(serve.maxDraftSource, .defaultValue)
        XCTAssertEqual(serve.timeout, .seconds(5))
        XCTAssertEqual(serve.mode, .fast)
        XCTAssertNil(serve.threshold)
        XCTAssertEqual(serve.settings, [])
    }

    // MARK: Subcommands

    func testNestedSubcommandParses() throws {
        let topics = try parseCommand(["kafka", "topics", "-b", "127.0.0.1:19092", "news.*"], as: TopicsFake.self)
        XCTAssertEqual(topics.broker, "127.0.0.1:19092")
        XCTAssertEqual(topics.pattern, "news.*")
    }

    func testVersionFlagPrintsRootVersion() throws {
        for arguments in [["--version"], ["serve", "--version"]] {
            let result = try CommandLineTool.parse(root: FakeTool.self, arguments: arguments)
            guard case .version(let line) = result else {
                XCTFail("expected a version for \(arguments), got \(result)")
                continue
            }
            XCTAssertEqual(line, "tool 1.2.3")
        }
    }
}
