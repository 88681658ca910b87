import Foundation
import XCTest

@testable import SpecTagLogging

final class LogFormatTests: XCTestCase {
    /// 2026-12-04T20:31:07.123Z
    private let fixedDate = Date(timeIntervalSince1970: 1_796_416_267.123_4)

    private func entry(message: String = "consumer started", metadata: LogMetadata = [:]) -> LogEntry {
        LogEntry(timestamp: fixedDate, level: .info, label: "spectag.serve", message: message, metadata: metadata)
    }

    // MARK: Timestamps

    func testTimestampIsUTCWithMilliseconds() {
        XCTAssertEqual(iso8601Milliseconds(fixedDate), "2026-12-04T20:31:07.123Z")
        XCTAssertEqual(iso8601Milliseconds(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(iso8601Milliseconds(Date(timeIntervalSince1970: 0.999_9)), "1970-01-01T00:00:00.999Z")
    }

    func testTimestampBeforeEpochTruncatesTowardPast() {
        XCTAssertEqual(iso8601Milliseconds(Date(timeIntervalSince1970: -0.000_5)), "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(iso8601Milliseconds(Date(timeIntervalSince1970: -1)), "1969-12-31T23:59:59.000Z")
    }

    // MARK: JSON

    func testJSONLineHasFixedKeysFirstThenSortedMetadata() {
        let line = LogFormat.json.render(entry(metadata: ["topic": "news", "partitions": 6, "lag": 0.5, "ok": true]))
        XCTAssertEqual(
            line,
            #"{"ts":"2026-12-04T20:31:07.123Z","level":"info","logger":"spectag.serve","msg":"consumer started","#
                + #""lag":0.5,"ok":true,"partitions":6,"topic":"news"}"#
        )
    }

    func testJSONEscapesQuotesBackslashesAndControlCharacters() {
        let line = LogFormat.json.render(entry(message: "a \"quoted\" \\ path\nnext\tcol\u{01}\u{1F}é€😀"))
        XCTAssertTrue(
            line.contains(#""msg":"a \"quoted\" \\ path\nnext\tcol\u0001\u001fé€😀""#),
            line
        )
    }

    func testJSONLineParsesWithFoundation() throws {
        let line = LogFormat.json.render(entry(
            message: "weird \u{0} \r \u{08} \u{0C} \"",
            metadata: ["nested": ["list": [1, "two", 3.5, false], "empty": [:]], "key \"q\"": "v\n"]
        ))
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        )
        XCTAssertEqual(object["msg"] as? String, "weird \u{0} \r \u{08} \u{0C} \"")
        XCTAssertEqual(object["key \"q\""] as? String, "v\n")
        let nested = try XCTUnwrap(object["nested"] as? [String: Any])
        let list = try XCTUnwrap(nested["list"] as? [Any])
        XCTAssertEqual(list.count, 4)
        XCTAssertEqual(list[1] as? String, "two")
    }

    func testJSONPrefixesMetadataKeysThatCollideWithFixedKeys() {
        // Metadata is written in the order of its own sorted keys: "_msg", "level", "msg".
        let line = LogFormat.json.render(entry(metadata: ["msg": "shadow", "_msg": "also", "level": 3]))
        XCTAssertEqual(
            line,
            #"{"ts":"2026-12-04T20:31:07.123Z","level":"info","logger":"spectag.serve","msg":"consumer started","#
                + #""_msg":"also","_level":3,"__msg":"shadow"}"#
        )
    }

    func testJSONWritesNonFiniteDoublesAsStrings() {
        let line = LogFormat.json.render(entry(metadata: ["a": .double(.nan), "b": .double(.infinity), "c": .double(-.infinity)]))
        XCTAssertTrue(line.hasSuffix(#""a":"NaN","b":"+Inf","c":"-Inf"}"#), line)
    }

    // MARK: Text

    func testTextLineQuotesValuesWithSpaces() {
        let line = LogFormat.text.render(entry(metadata: ["topic": "news", "reason": "broker down", "empty": ""]))
        XCTAssertEqual(
            line,
            #"2026-12-04T20:31:07.123Z INFO spectag.serve: consumer started empty="" reason="broker down" topic=news"#
        )
    }

    func testTextLineKeepsMultilineMessageOnOneLine() {
        let line = LogFormat.text.render(entry(message: "first\nsecond"))
        XCTAssertFalse(line.contains("\n"))
        XCTAssertTrue(line.hasSuffix(#"spectag.serve: first\nsecond"#), line)
    }

    // MARK: Values

    func testLogValueLiteralsAndDescription() {
        let value: LogValue = ["b": [1, 2.5, true], "a": "x"]
        XCTAssertEqual(value, .dictionary(["a": .string("x"), "b": .array([.int(1), .double(2.5), .bool(true)])]))
        XCTAssertEqual(value.description, "{a: x, b: [1, 2.5, true]}")

        let count = 3
        let interpolated: LogValue = "\(count) partitions"
        XCTAssertEqual(interpolated, .string("3 partitions"))
    }

    func testLogValueDescribingUsesDescription() {
        struct Failure: Error, CustomStringConvertible {
            var description: String { "broker unreachable" }
        }
        XCTAssertEqual(LogValue.describing(Failure()), .string("broker unreachable"))
        XCTAssertEqual(LogValue.describing(42), .string("42"))
    }

    func testLevelParsingIgnoresCaseAndAcceptsWarn() {
        XCTAssertEqual(LogLevel(parsing: " Debug "), .debug)
        XCTAssertEqual(LogLevel(parsing: "WARN"), .warning)
        XCTAssertEqual(LogLevel(parsing: "critical"), .critical)
        XCTAssertNil(LogLevel(parsing: "verbose"))
        XCTAssertLessThan(LogLevel.trace, LogLevel.debug)
        XCTAssertLessThan(LogLevel.notice, LogLevel.warning)
        XCTAssertLessThan(LogLevel.error, LogLevel.critical)
    }
}
