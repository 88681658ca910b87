import Foundation
import SpecTagAlerts
import SpecTagKafka
import SpecTagSpeculation
@testable import SpecTagStreaming
import XCTest

final class RecordBuilderTests: XCTestCase {
    private let builder = RecordBuilder(
        topics: OutputTopics(tagged: "t", entitySentiment: "es", deadLetter: "dl"),
        modelName: "tiny", drafterName: "head", maximumDeadLetterValueBytes: 16
    )

    private func json(_ data: Data) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    // MARK: Tagged output

    /// Tags the message with the tiny model and builds its records.
    private func taggedRecords(_ message: NewsMessage, input: KafkaConsumerMessage = .news("{}", offset: 42)) throws -> [OutgoingRecord] {
        let tagger = try TinyTagger.make()
        let fields = message.taggedFields
        let run = try tagger.tag(fields.map(\.text))
        let results = zip(fields.map(\.field), run.texts).map { (field: $0, tagged: $1) }
        return try builder.taggedRecords(for: message, input: input, fields: results, latency: .milliseconds(12))
    }

    func testTaggedRecordCarriesInputFields() throws {
        let message = NewsMessage(
            id: "n-1", headline: "Nordic Bank shares fall in Oslo", body: "Nordic Bank lost 5 percent. Rivals held steady.",
            source: "wire", publishedAt: "2026-12-04T20:00:00+01:00", tickers: ["NBK"], language: "en"
        )

        let records = try taggedRecords(message)
        let tagged = try json(records[0].value)

        XCTAssertEqual(records[0].topic, "t")
        XCTAssertEqual(records[0].key, Data("n-1".utf8))
        XCTAssertEqual(tagged["schema"] as? String, "spectag.tagged.v1")
        XCTAssertEqual(tagged["id"] as? String, "n-1")
        XCTAssertEqual(tagged["source"] as? String, "wire")
        XCTAssertEqual(tagged["published_at"] as? String, "2026-12-04T20:00:00+01:00")
        XCTAssertEqual(tagged["tickers"] as? [String], ["NBK"])
        XCTAssertEqual(tagged["model"] as? String, "tiny")
        XCTAssertEqual(tagged["drafter"] as? String, "head")
        XCTAssertEqual(tagged["latency_ms"] as? Double, 12)
        let input = try XCTUnwrap(tagged["input"] as? [String: Any])
        XCTAssertEqual(input["topic"] as? String, "news")
        XCTAssertEqual(input["offset"] as? Int, 42)
        XCTAssertEqual(input["timestamp"] as? String, "2026-12-04T20:00:00.250Z")
        let sentiment = try XCTUnwrap(tagged["sentiment"] as? [String: Any])
        XCTAssertNotNil(sentiment["headline"] as? [String: Any])
        XCTAssertNotNil(sentiment["body"] as? [String: Any])
        XCTAssertNotNil(sentiment["overall"] as? [String: Any])
        let speculative = try XCTUnwrap(tagged["speculative"] as? [String: Any])
        XCTAssertEqual(speculative["sentences"] as? Int, 3)
    }

    func testAbsentFieldsAreWrittenAsNull() throws {
        let records = try taggedRecords(NewsMessage(id: "n-2", body: "Markets rallied in Tokyo."))
        let tagged = try json(records[0].value)

        XCTAssertTrue(tagged["source"] is NSNull)
        XCTAssertTrue(tagged["published_at"] is NSNull)
        XCTAssertTrue(tagged["headline"] is NSNull)
        XCTAssertTrue(tagged["lang"] is NSNull)
        XCTAssertEqual(tagged["tickers"] as? [String], [])
        let sentiment = try XCTUnwrap(tagged["sentiment"] as? [String: Any])
        XCTAssertTrue(sentiment["headline"] is NSNull)
    }

    func testEntityRecordsMatchMentions() throws {
        let message = NewsMessage(id: "n-3", headline: "Zürich Bank AG cuts jobs", body: "Zürich Bank AG will close offices.")

        let records = try taggedRecords(message)
        let tagged = try json(records[0].value)
        let mentions = try XCTUnwrap(tagged["entities"] as? [[String: Any]])
        let entityRecords = try records.dropFirst().map { try EntitySentimentRecord.decode(from: $0.value) }

        XCTAssertEqual(entityRecords.count, mentions.count)
        XCTAssertFalse(mentions.isEmpty, "the tiny tagger found no entity; the test needs at least one")
        for (record, outgoing) in zip(entityRecords, records.dropFirst()) {
            XCTAssertEqual(outgoing.topic, "es")
            XCTAssertEqual(outgoing.key, Data(record.entityKey.utf8))
            XCTAssertEqual(record.entityKey, EntityName.normalize(record.entity))
            XCTAssertEqual(record.messageID, "n-3")
            XCTAssertEqual(record.headline, "Zürich Bank AG cuts jobs")
            let text = record.field == "headline" ? message.headline ?? "" : message.body ?? ""
            let scalars = Array(text.unicodeScalars)
            XCTAssertEqual(String(String.UnicodeScalarView(scalars[record.start..<record.end])), record.entity)
            let probabilities = record.probabilities
            XCTAssertEqual(record.sentimentScore, probabilities.positive - probabilities.negative, accuracy: 1e-5)
            XCTAssertNil(record.publishedAt)
            XCTAssertNotNil(record.processedAt)
        }
    }

    func testEntityRecordsConvertPublicationTimeToUTC() throws {
        for (given, expected) in [
            ("2026-12-04T21:00:00+01:00", "2026-12-04T20:00:00.000Z"),
            ("2026-12-04t20:00:00.5z", "2026-12-04T20:00:00.500Z"),
        ] {
            let message = NewsMessage(id: "n-4", headline: "Acme Corp rises in Paris", publishedAt: given)

            let records = try taggedRecords(message)
            let first = try XCTUnwrap(records.dropFirst().first, "the tiny tagger found no entity")
            let value = try json(first.value)

            XCTAssertEqual(value["published_at"] as? String, expected, given)
        }
    }

    // MARK: Dead letters

    func testDeadLetterKeepsOriginalBytesAndPosition() throws {
        let input = KafkaConsumerMessage.news("{broken", key: "k-1", offset: 7, partition: 2)
        let rejection = InputRejection(reason: .invalidJSON, message: "the value is not valid JSON", messageID: nil)

        let record = builder.deadLetterRecord(for: input, rejection: rejection)
        let value = try json(record.value)
        let original = try XCTUnwrap(value["original"] as? [String: Any])

        XCTAssertEqual(record.topic, "dl")
        XCTAssertEqual(record.key, Data("k-1".utf8))
        XCTAssertEqual(value["schema"] as? String, "spectag.dead_letter.v1")
        XCTAssertEqual(value["error_code"] as? String, "invalid_json")
        XCTAssertEqual(value["error_message"] as? String, "the value is not valid JSON")
        XCTAssertTrue(value["message_id"] is NSNull)
        XCTAssertEqual(original["topic"] as? String, "news")
        XCTAssertEqual(original["partition"] as? Int, 2)
        XCTAssertEqual(original["offset"] as? Int, 7)
        XCTAssertEqual(original["timestamp"] as? String, "2026-12-04T20:00:00.250Z")
        XCTAssertEqual((original["key_base64"] as? String).flatMap { Data(base64Encoded: $0) }, Data("k-1".utf8))
        XCTAssertEqual((original["value_base64"] as? String).flatMap { Data(base64Encoded: $0) }, Data("{broken".utf8))
        XCTAssertEqual(original["value_bytes"] as? Int, 7)
        XCTAssertEqual(original["value_truncated"] as? Bool, false)
    }

    func testDeadLetterCutsLongValue() throws {
        let input = KafkaConsumerMessage.news(String(repeating: "z", count: 40))
        let rejection = InputRejection(reason: .tooLarge, message: "too large")

        let value = try json(builder.deadLetterRecord(for: input, rejection: rejection).value)
        let original = try XCTUnwrap(value["original"] as? [String: Any])

        XCTAssertEqual((original["value_base64"] as? String).flatMap { Data(base64Encoded: $0) }, Data(String(repeating: "z", count: 16).utf8))
        XCTAssertEqual(original["value_bytes"] as? Int, 40)
        XCTAssertEqual(original["value_truncated"] as? Bool, true)
    }

    func testDeadLetterOfNullValueAndKey() throws {
        let input = KafkaConsumerMessage.news(nil)

        let record = builder.deadLetterRecord(for: input, rejection: InputRejection(reason: .invalidJSON, message: "null"))
        let original = try XCTUnwrap(try json(record.value)["original"] as? [String: Any])

        XCTAssertNil(record.key)
        XCTAssertTrue(original["key_base64"] is NSNull)
        XCTAssertTrue(original["value_base64"] is NSNull)
        XCTAssertEqual(original["value_bytes"] as? Int, 0)
    }

    // MARK: Sentiment

    func testMeanSentimentPicksMostProbableLabel() throws {
        let tagger = try TinyTagger.make()
        let run = try tagger.tag(["Shares fell. Profits rose sharply. Nothing changed."])
        let sentences = run.texts[0].sentenceSentiments

        let mean = try XCTUnwrap(SentimentSummary.mean(of: sentences))

        for label in ["negative", "neutral", "positive"] {
            let expected = sentences.map { $0.probabilities[label] ?? 0 }.reduce(0, +) / Double(sentences.count)
            XCTAssertEqual(mean.probabilities[label] ?? -1, expected, accuracy: 1e-5, label)
        }
        XCTAssertEqual(mean.label, mean.probabilities.max { $0.value < $1.value }?.key)
        XCTAssertNil(SentimentSummary.mean(of: []))
    }
}
