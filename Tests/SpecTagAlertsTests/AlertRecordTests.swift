import Foundation
import SpecTagAlerts
import XCTest

final class AlertRecordTests: XCTestCase {
    private let contractExample = """
        {
          "schema": "spectag.entity_sentiment.v1",
          "entity": "Apple Inc.",
          "entity_key": "apple",
          "entity_type": "ORG",
          "message_id": "n-123",
          "headline": "Apple shares slump after ...",
          "field": "headline",
          "start": 0, "end": 10,
          "sentiment": "negative",
          "sentiment_score": -0.83,
          "probabilities": {"negative": 0.9, "neutral": 0.03, "positive": 0.07},
          "confidence": 0.97,
          "published_at": "2026-12-04T20:00:00Z",
          "processed_at": "2026-12-04T20:00:01.234Z",
          "source": "reuters", "tickers": ["AAPL"]
        }
        """

    // MARK: Entity-sentiment records

    func testContractExampleDecodes() throws {
        let record = try EntitySentimentRecord.decode(from: Data(contractExample.utf8))

        XCTAssertEqual(record.entity, "Apple Inc.")
        XCTAssertEqual(record.entityKey, "apple")
        XCTAssertEqual(record.entityType, "ORG")
        XCTAssertEqual(record.messageID, "n-123")
        XCTAssertEqual(record.end, 10)
        XCTAssertEqual(record.sentiment, .negative)
        XCTAssertEqual(record.sentimentScore, -0.83)
        XCTAssertEqual(record.probabilities.neutral, 0.03)
        XCTAssertEqual(record.publishedAt, baseTime)
        XCTAssertEqual(record.processedAt, baseTime + 1234)
        XCTAssertEqual(record.tickers, ["AAPL"])
    }

    func testRecordRoundTripsThroughJSON() throws {
        let record = mention(at: baseTime + 1234, .positive)

        let decoded = try EntitySentimentRecord.decode(from: record.encodedJSON())

        XCTAssertEqual(decoded, record)
    }

    func testNullOptionalFieldsDecode() throws {
        let json = contractExample
            .replacingOccurrences(of: #""published_at": "2026-12-04T20:00:00Z""#, with: #""published_at": null"#)
            .replacingOccurrences(of: #""source": "reuters", "tickers": ["AAPL"]"#, with: #""source": null, "tickers": []"#)

        let record = try EntitySentimentRecord.decode(from: Data(json.utf8))

        XCTAssertNil(record.publishedAt)
        XCTAssertNil(record.source)
        XCTAssertEqual(record.tickers, [])
    }

    func testMissingEntityKeyIsComputed() throws {
        let json = contractExample.replacingOccurrences(of: #""entity_key": "apple","#, with: "")

        let record = try EntitySentimentRecord.decode(from: Data(json.utf8))

        XCTAssertEqual(record.entityKey, "apple")
    }

    func testInvalidRecordsNameTheField() {
        let cases: [(replace: String, with: String, field: String)] = [
            (#""schema": "spectag.entity_sentiment.v1""#, #""schema": "spectag.entity_sentiment.v2""#, "schema"),
            (#""sentiment": "negative""#, #""sentiment": "bearish""#, "sentiment"),
            (#""sentiment_score": -0.83"#, #""sentiment_score": -1.5"#, "sentiment_score"),
            (#""entity_type": "ORG""#, #""entity_type": "COMPANY""#, "entity_type"),
            (#""published_at": "2026-12-04T20:00:00Z""#, #""published_at": "yesterday""#, "published_at"),
            (#""message_id": "n-123","#, "", "message_id"),
            (#""sentiment_score": -0.83"#, #""sentiment_score": "low""#, "sentiment_score"),
        ]
        for testCase in cases {
            let json = contractExample.replacingOccurrences(of: testCase.replace, with: testCase.with)
            XCTAssertThrowsError(try EntitySentimentRecord.decode(from: Data(json.utf8)), testCase.with) { error in
                let invalid = error as? InvalidRecordError
                XCTAssertNotNil(invalid, "\(error)")
                XCTAssertEqual(invalid?.field, testCase.field, testCase.with)
            }
        }
    }

    func testEntityWithoutKeyIsInvalid() {
        let json = contractExample
            .replacingOccurrences(of: #""entity_key": "apple","#, with: "")
            .replacingOccurrences(of: #""entity": "Apple Inc.""#, with: #""entity": "...""#)

        XCTAssertThrowsError(try EntitySentimentRecord.decode(from: Data(json.utf8))) { error in
            XCTAssertEqual((error as? InvalidRecordError)?.field, "entity")
        }
    }

    func testMalformedJSONIsInvalidRecord() {
        XCTAssertThrowsError(try EntitySentimentRecord.decode(from: Data("{not json".utf8))) { error in
            let invalid = error as? InvalidRecordError
            XCTAssertNotNil(invalid)
            XCTAssertNil(invalid?.field)
            XCTAssertTrue(invalid?.problem.contains("not valid JSON") ?? false, "\(error)")
        }
    }

    // MARK: Timestamps

    func testTimestampsParseOffsetsAndFractions() {
        XCTAssertEqual(Timestamp.milliseconds(parsing: "2026-12-04T20:00:00Z"), baseTime)
        XCTAssertEqual(Timestamp.milliseconds(parsing: "2026-12-04T21:00:00.5+01:00"), baseTime + 500)
        XCTAssertNil(Timestamp.milliseconds(parsing: "2026-12-04"))
        XCTAssertNil(Timestamp.milliseconds(parsing: "2026-12-04 20:00:00Z"))
    }

    func testTimestampsFormatMillisecondsExactly() {
        XCTAssertEqual(Timestamp.string(milliseconds: baseTime + 1234), "2026-12-04T20:00:01.234Z")
        XCTAssertEqual(Timestamp.string(milliseconds: baseTime + 7), "2026-12-04T20:00:00.007Z")
        XCTAssertEqual(Timestamp.string(milliseconds: -1), "1969-12-31T23:59:59.999Z")
    }

    // MARK: Alerts

    func testAlertRoundTripsThroughJSON() throws {
        var engine = AlertEngine(configuration: AlertConfiguration(), clock: ManualClock())
        let alert = try XCTUnwrap((0..<5).flatMap { engine.process(mention(at: baseTime + Int64($0) * 1000)).alerts }.first)

        let json = try alert.encodedJSON()
        let decoded = try AlertRecord.decode(from: json)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any])

        XCTAssertEqual(decoded, alert)
        XCTAssertEqual(object["schema"] as? String, "spectag.alert.v1")
        XCTAssertEqual(object["rule"] as? String, "negative_share")
        XCTAssertEqual(object["created_at"] as? String, "2026-12-04T20:00:00.000Z")
        let window = try XCTUnwrap(object["window"] as? [String: Any])
        XCTAssertEqual(window["start"] as? String, "2026-12-04T19:46:00.000Z")
        XCTAssertEqual(window["end"] as? String, "2026-12-04T20:01:00.000Z")
        XCTAssertTrue(window.keys.contains("previous_mean_score"), "a null previous mean must still be written")
        let parameters = try XCTUnwrap(object["parameters"] as? [String: Any])
        XCTAssertEqual(parameters["threshold"] as? Double, 0.6)
        XCTAssertNil(parameters["factor"], "parameters of other rules must be left out")
    }
}
