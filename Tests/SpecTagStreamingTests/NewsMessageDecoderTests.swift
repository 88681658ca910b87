import Foundation
@testable import SpecTagStreaming
import XCTest

final class NewsMessageDecoderTests: XCTestCase {
    private let decoder = NewsMessageDecoder(maximumMessageBytes: 1024)

    private func decode(_ text: String) -> Result<NewsMessage, InputRejection> {
        decoder.decode(Data(text.utf8))
    }

    private func rejection(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> InputRejection? {
        guard case .failure(let rejection) = decode(text) else {
            XCTFail("expected a rejection of \(text)", file: file, line: line)
            return nil
        }
        return rejection
    }

    // MARK: Valid messages

    func testDecoderReadsEveryField() throws {
        let text = """
            {"id":"n-1","headline":"Apple shares slump","body":"Apple Inc. fell 4%.","source":"reuters",
             "published_at":"2026-12-04T20:00:00Z","tickers":["AAPL","MSFT"],"lang":"en","extra":{"ignored":true}}
            """
        let message = try decode(text).get()

        XCTAssertEqual(message.id, "n-1")
        XCTAssertEqual(message.headline, "Apple shares slump")
        XCTAssertEqual(message.body, "Apple Inc. fell 4%.")
        XCTAssertEqual(message.source, "reuters")
        XCTAssertEqual(message.publishedAt, "2026-12-04T20:00:00Z")
        XCTAssertEqual(message.tickers, ["AAPL", "MSFT"])
        XCTAssertEqual(message.language, "en")
        XCTAssertEqual(message.taggedFields.map(\.field), [.headline, .body])
    }

    func testDecoderAcceptsBodyWithoutHeadline() throws {
        let message = try decode(#"{"id":"n-2","body":"Markets rallied."}"#).get()

        XCTAssertNil(message.headline)
        XCTAssertEqual(message.tickers, [])
        XCTAssertEqual(message.taggedFields.map(\.field), [.body])
        XCTAssertEqual(message.displayHeadline, "Markets rallied.")
    }

    func testBlankHeadlineIsNotTagged() throws {
        let message = try decode(#"{"id":"n-3","headline":"  ","body":"Oil rose."}"#).get()

        XCTAssertEqual(message.taggedFields.map(\.field), [.body])
        XCTAssertEqual(message.headline, "  ")
    }

    func testDisplayHeadlineCutsBodyAt200Characters() throws {
        let body = String(repeating: "é", count: 250)
        let message = try decode(#"{"id":"n-4","body":"\#(body)"}"#).get()

        XCTAssertEqual(message.displayHeadline.count, 200)
    }

    // MARK: Rejections per error code

    func testNullValueIsInvalidJSON() {
        guard case .failure(let rejection) = decoder.decode(nil) else {
            return XCTFail("a null value was accepted")
        }
        XCTAssertEqual(rejection.reason, .invalidJSON)
        XCTAssertTrue(rejection.message.contains("null"), rejection.message)
    }

    func testValueAboveLimitIsTooLarge() {
        let padding = String(repeating: "x", count: 1100)
        let rejection = rejection(#"{"id":"n-5","headline":"\#(padding)"}"#)

        XCTAssertEqual(rejection?.reason, .tooLarge)
        XCTAssertTrue(rejection?.message.contains("1024") ?? false, rejection?.message ?? "")
    }

    func testValueAtLimitIsAccepted() throws {
        let prefix = #"{"id":"n-6","headline":""#
        let suffix = #""}"#
        let headline = String(repeating: "y", count: 1024 - prefix.utf8.count - suffix.utf8.count)
        let text = prefix + headline + suffix

        XCTAssertEqual(text.utf8.count, 1024)
        XCTAssertEqual(try decode(text).get().id, "n-6")
    }

    func testInvalidUTF8NamesOffsetAndByte() {
        var bytes = Data(#"{"id":"n-7","headline":"caf"#.utf8)
        bytes.append(0xE9)
        bytes.append(contentsOf: Data(#""}"#.utf8))

        guard case .failure(let rejection) = decoder.decode(bytes) else {
            return XCTFail("invalid UTF-8 was accepted")
        }
        XCTAssertEqual(rejection.reason, .invalidUTF8)
        XCTAssertTrue(rejection.message.contains("0xE9"), rejection.message)
        XCTAssertTrue(rejection.message.contains("offset 27"), rejection.message)
    }

    func testOverlongEncodingIsInvalidUTF8() {
        let bytes = Data([0x7B, 0xC0, 0xAF, 0x7D])

        guard case .failure(let rejection) = decoder.decode(bytes) else {
            return XCTFail("an overlong encoding was accepted")
        }
        XCTAssertEqual(rejection.reason, .invalidUTF8)
    }

    func testMalformedJSONIsInvalidJSON() {
        XCTAssertEqual(rejection(#"{"id":"n-8","headline":"unclosed}"#)?.reason, .invalidJSON)
        XCTAssertEqual(rejection("not json")?.reason, .invalidJSON)
        XCTAssertEqual(rejection("")?.reason, .invalidJSON)
    }

    func testMalformedJSONMessageSaysWhere() {
        let message = rejection("not json")?.message

        XCTAssertEqual(message, "the value is not valid JSON: Invalid value around character 1.")
    }

    func testNonObjectIsSchemaViolation() {
        let rejection = rejection(#"["n-9"]"#)

        XCTAssertEqual(rejection?.reason, .schemaViolation)
        XCTAssertEqual(rejection?.message, "the value must be a JSON object, got array")
    }

    func testMissingIDIsSchemaViolation() {
        let rejection = rejection(#"{"headline":"No id"}"#)

        XCTAssertEqual(rejection?.reason, .schemaViolation)
        XCTAssertEqual(rejection?.message, "id: the required field is missing")
        XCTAssertNil(rejection?.messageID)
    }

    func testEmptyOrNumericIDIsSchemaViolation() {
        XCTAssertEqual(rejection(#"{"id":"","headline":"x"}"#)?.message, "id: must not be empty")
        XCTAssertEqual(rejection(#"{"id":17,"headline":"x"}"#)?.message, "id: expected a string, got number")
    }

    func testWrongTypesAreListedTogether() {
        let rejection = rejection(#"{"id":"n-10","headline":42,"tickers":["A",7],"source":null,"lang":true}"#)

        XCTAssertEqual(rejection?.reason, .schemaViolation)
        XCTAssertEqual(rejection?.messageID, "n-10")
        let message = rejection?.message ?? ""
        XCTAssertTrue(message.contains("headline: expected a string, got number"), message)
        XCTAssertTrue(message.contains("tickers[1]: expected a string, got number"), message)
        XCTAssertTrue(message.contains("source: expected a string, got null"), message)
        XCTAssertTrue(message.contains("lang: expected a string, got boolean"), message)
    }

    func testTickersMustBeAnArray() {
        XCTAssertEqual(
            rejection(#"{"id":"n-11","headline":"x","tickers":"AAPL"}"#)?.message,
            "tickers: expected an array of strings, got string"
        )
    }

    func testInvalidPublicationTimeIsSchemaViolation() {
        for value in ["yesterday", "2026-12-04", "2026-13-01T00:00:00Z", "2026-02-30T10:00:00Z", "2026-12-04 20:00:00Z"] {
            let rejection = rejection(#"{"id":"n-12","headline":"x","published_at":"\#(value)"}"#)
            XCTAssertEqual(rejection?.reason, .schemaViolation, value)
            XCTAssertTrue(rejection?.message.hasPrefix("published_at:") ?? false, rejection?.message ?? value)
        }
    }

    func testMissingTextIsNoText() {
        let rejection = rejection(#"{"id":"n-13","source":"reuters"}"#)

        XCTAssertEqual(rejection?.reason, .noText)
        XCTAssertEqual(rejection?.messageID, "n-13")
    }

    func testWhitespaceOnlyTextIsNoText() {
        XCTAssertEqual(rejection(#"{"id":"n-14","headline":" \t\n","body":"\u00a0"}"#)?.reason, .noText)
    }

    func testTypeErrorWinsOverNoText() {
        XCTAssertEqual(rejection(#"{"id":"n-15","headline":5}"#)?.reason, .schemaViolation)
    }
}

final class RFC3339Tests: XCTestCase {
    func testValidDateTimesPass() {
        for text in [
            "2026-12-04T20:00:00Z", "2026-12-04t20:00:00z", "2026-12-04T20:00:00.123456Z",
            "2026-12-04T20:00:00+01:00", "2026-12-04T20:00:00-11:30", "2024-02-29T00:00:00Z",
            "2026-06-30T23:59:60Z",
        ] {
            XCTAssertNil(RFC3339.problem(in: text), text)
        }
    }

    func testInvalidDateTimesFail() {
        for text in [
            "2026-12-04", "2026-12-04T20:00Z", "2026-12-04T20:00:00", "2025-02-29T00:00:00Z",
            "2026-00-10T00:00:00Z", "2026-12-04T24:00:00Z", "2026-12-04T20:00:00.Z",
            "2026-12-04T20:00:00+1:00", "2026-12-04T20:00:00Z ", "２０２６-12-04T20:00:00Z",
        ] {
            XCTAssertNotNil(RFC3339.problem(in: text), text)
        }
    }
}
