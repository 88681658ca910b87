import Foundation
import SpecTagKafka
import XCTest

final class KafkaPropertiesParserTests: XCTestCase {
    // MARK: Separators and comments

    func testParseAcceptsEqualsColonAndWhitespaceSeparators() throws {
        let text = """
        bootstrap.servers=broker-1:9092,broker-2:9092
        security.protocol: SASL_SSL
        sasl.mechanism   PLAIN
        client.id =  spectag
        """
        let properties = try KafkaProperties.parse(text, source: "client.properties")

        XCTAssertEqual(properties["bootstrap.servers"], "broker-1:9092,broker-2:9092")
        XCTAssertEqual(properties["security.protocol"], "SASL_SSL")
        XCTAssertEqual(properties["sasl.mechanism"], "PLAIN")
        XCTAssertEqual(properties["client.id"], "spectag")
        XCTAssertEqual(properties.entries.map(\.key), [
            "bootstrap.servers", "security.protocol", "sasl.mechanism", "client.id",
        ])
    }

    func testParseSkipsCommentsAndBlankLines() throws {
        let text = """
        # a hash comment
           ! an indented bang comment

        acks=all
        #acks=0
        """
        let properties = try KafkaProperties.parse(text, source: "client.properties")

        XCTAssertEqual(properties.entries, [KafkaProperties.Entry(key: "acks", value: "all")])
    }

    func testParseKeepsHashInsideValue() throws {
        let properties = try KafkaProperties.parse("client.id=news#1", source: "test")

        XCTAssertEqual(properties["client.id"], "news#1")
    }

    func testParseHandlesCarriageReturnLineEnds() throws {
        let properties = try KafkaProperties.parse("a=1\r\nb=2\rc=3\n", source: "test")

        XCTAssertEqual(properties["a"], "1")
        XCTAssertEqual(properties["b"], "2")
        XCTAssertEqual(properties["c"], "3")
    }

    func testParseKeepsLastValueOfRepeatedKey() throws {
        let properties = try KafkaProperties.parse("acks=1\nlinger.ms=5\nacks=all", source: "test")

        XCTAssertEqual(properties["acks"], "all")
        XCTAssertEqual(properties.entries.map(\.key), ["acks", "linger.ms"])
    }

    func testParseAllowsEmptyValue() throws {
        let properties = try KafkaProperties.parse("sasl.username=\nssl.ca.location", source: "test")

        XCTAssertEqual(properties["sasl.username"], "")
        XCTAssertEqual(properties["ssl.ca.location"], "")
    }

    // MARK: Continuation lines

    func testParseJoinsContinuationLinesAndDropsTheirIndent() throws {
        let text = """
        bootstrap.servers=broker-1:9092,\\
                          broker-2:9092,\\
            broker-3:9092
        acks=all
        """
        let properties = try KafkaProperties.parse(text, source: "test")

        XCTAssertEqual(properties["bootstrap.servers"], "broker-1:9092,broker-2:9092,broker-3:9092")
        XCTAssertEqual(properties["acks"], "all")
    }

    func testParseTreatsEvenBackslashesAsLiteral() throws {
        let properties = try KafkaProperties.parse("path=C:\\\\temp\\\\\nnext=1", source: "test")

        XCTAssertEqual(properties["path"], "C:\\temp\\")
        XCTAssertEqual(properties["next"], "1")
    }

    func testParseDoesNotContinueCommentLines() throws {
        let properties = try KafkaProperties.parse("# comment ends in backslash \\\nacks=all", source: "test")

        XCTAssertEqual(properties["acks"], "all")
        XCTAssertEqual(properties.entries.count, 1)
    }

    func testParseAcceptsContinuationAtEndOfInput() throws {
        let properties = try KafkaProperties.parse("client.id=spectag\\", source: "test")

        XCTAssertEqual(properties["client.id"], "spectag")
    }

    // MARK: Escapes

    func testParseResolvesCharacterEscapes() throws {
        let properties = try KafkaProperties.parse("value=tab\\tnewline\\nreturn\\rfeed\\f", source: "test")

        XCTAssertEqual(properties["value"], "tab\tnewline\nreturn\rfeed\u{0C}")
    }

    func testParseResolvesEscapedSeparatorsInKey() throws {
        let text = "my\\ key\\=with\\:separators = value\\=1"
        let properties = try KafkaProperties.parse(text, source: "test")

        XCTAssertEqual(properties["my key=with:separators"], "value=1")
    }

    func testParseResolvesUnicodeEscapesAndSurrogatePairs() throws {
        let properties = try KafkaProperties.parse("name=caf\\u00e9 \\uD83D\\uDE00", source: "test")

        XCTAssertEqual(properties["name"], "café 😀")
    }

    func testParseDropsBackslashBeforeOrdinaryCharacter() throws {
        let properties = try KafkaProperties.parse("value=\\a\\#b", source: "test")

        XCTAssertEqual(properties["value"], "a#b")
    }

    func testParseTrimsUnescapedTrailingWhitespaceOnly() throws {
        let properties = try KafkaProperties.parse("plain=SASL_SSL   \nescaped=pad\\ \t", source: "test")

        XCTAssertEqual(properties["plain"], "SASL_SSL")
        XCTAssertEqual(properties["escaped"], "pad ")
    }

    // MARK: Errors

    func testParseRejectsMalformedUnicodeEscapeWithLineNumber() {
        XCTAssertThrowsError(try KafkaProperties.parse("a=1\n\nb=\\u12G4", source: "client.properties")) { error in
            guard let error = error as? KafkaPropertiesError else {
                return XCTFail("expected KafkaPropertiesError, got \(error)")
            }
            XCTAssertEqual(error.source, "client.properties")
            XCTAssertEqual(error.line, 3)
            XCTAssertTrue(error.description.contains("\\uXXXX"), error.description)
        }
    }

    func testParseRejectsTruncatedUnicodeEscape() {
        XCTAssertThrowsError(try KafkaProperties.parse("b=\\u12", source: "test"))
    }

    func testParseRejectsEmptyKeyWithLineNumber() {
        XCTAssertThrowsError(try KafkaProperties.parse("a=1\n=orphan", source: "client.properties")) { error in
            XCTAssertEqual(error as? KafkaPropertiesError, KafkaPropertiesError(
                source: "client.properties",
                line: 2,
                problem: "the key is empty"
            ))
        }
    }

    func testParseReportsStartLineOfContinuedEntry() {
        let text = "a=1\nb=first\\\n  \\u00ZZ"
        XCTAssertThrowsError(try KafkaProperties.parse(text, source: "test")) { error in
            XCTAssertEqual((error as? KafkaPropertiesError)?.line, 2)
        }
    }

    // MARK: Files

    func testLoadReadsFileFromDisk() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("spectag-kafka-\(UUID().uuidString).properties")
        try "security.protocol=SSL\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }

        let properties = try KafkaProperties.load(contentsOf: url)

        XCTAssertEqual(properties["security.protocol"], "SSL")
    }

    func testLoadNamesMissingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/spectag/client.properties")

        XCTAssertThrowsError(try KafkaProperties.load(contentsOf: url)) { error in
            let description = "\(error)"
            XCTAssertTrue(description.contains("/nonexistent/spectag/client.properties"), description)
            XCTAssertTrue(description.contains("cannot be read"), description)
        }
    }

    func testLoadRejectsInvalidUTF8() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("spectag-kafka-\(UUID().uuidString).properties")
        try Data([0x61, 0x3D, 0xFF, 0xFE]).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        XCTAssertThrowsError(try KafkaProperties.load(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".contains("not valid UTF-8"), "\(error)")
        }
    }
}
