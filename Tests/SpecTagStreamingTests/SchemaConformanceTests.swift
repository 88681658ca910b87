import Foundation
import SpecTagKafka
@testable import SpecTagStreaming
import XCTest

/// Checks the records the service writes, and the input rules it applies, against the JSON
/// Schemas in schemas/, using Python's jsonschema as the referee.
final class SchemaConformanceTests: XCTestCase {
    private let builder = RecordBuilder(topics: OutputTopics(), modelName: "tiny-random-tagger", drafterName: "head")

    private func assertValid(_ documents: [Data], schema: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let violations = try SchemaValidator.violations(of: documents, schema: schema)
        for (document, problems) in zip(documents, violations) where !problems.isEmpty {
            XCTFail("\(schema): \(problems) in \(String(decoding: document, as: UTF8.self))", file: file, line: line)
        }
    }

    func testTaggedAndEntityRecordsMatchSchemas() throws {
        let tagger = try TinyTagger.make()
        let messages = [
            NewsMessage(id: "s-1", headline: "Halvorsen Bank faces probe in Oslo", source: "wire", publishedAt: "2026-12-04T20:00:00Z", tickers: ["HVBK"], language: "en"),
            NewsMessage(id: "s-2", body: "Kessler Steel will cut jobs in Duisburg. Unions in Germany plan a strike. Erik Dahl said so."),
            NewsMessage(id: "s-3", headline: "Brevane Pharma wins approval", body: "The European agency backed the drug."),
            NewsMessage(id: "s-4", headline: "Émile Zola Café ™ rallies — 東京 up 3%", publishedAt: "2026-12-04t20:00:00.5-05:00"),
        ]
        var tagged: [Data] = []
        var entities: [Data] = []
        for (index, message) in messages.enumerated() {
            let fields = message.taggedFields
            let run = try tagger.tag(fields.map(\.text))
            let records = try builder.taggedRecords(
                for: message,
                input: .news("{}", offset: Int64(index)),
                fields: zip(fields.map(\.field), run.texts).map { (field: $0, tagged: $1) },
                latency: .microseconds(1500)
            )
            tagged.append(records[0].value)
            entities.append(contentsOf: records.dropFirst().map(\.value))
        }

        XCTAssertEqual(tagged.count, 4)
        XCTAssertGreaterThan(entities.count, 0, "the tiny tagger found no entity; the entity schema was not exercised")
        try assertValid(tagged, schema: "news.tagged")
        try assertValid(entities, schema: "news.entity-sentiment")
    }

    func testDeadLetterRecordsMatchSchema() throws {
        var documents: [Data] = []
        for (index, reason) in DeadLetterReason.allCases.enumerated() {
            let input = KafkaConsumerMessage.news(index % 2 == 0 ? "{\"id\":1}" : nil, key: index % 3 == 0 ? nil : "k", offset: Int64(index))
            let rejection = InputRejection(reason: reason, message: "problem \(index)", messageID: index % 2 == 0 ? "m-\(index)" : nil)
            documents.append(builder.deadLetterRecord(for: input, rejection: rejection).value)
        }

        try assertValid(documents, schema: "news.dead-letter")
    }

    /// Every sample line and a set of edge cases: the Swift decoder accepts exactly the
    /// documents that the schema accepts.
    func testDecoderAgreesWithInputSchema() throws {
        let samples = try String(contentsOf: StreamingTestPaths.packageRoot.appendingPathComponent("samples/news.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let edgeCases = [
            #"{"id":"e-1","headline":"x"}"#,
            #"{"id":"e-2","body":"y","headline":""}"#,
            #"{"id":"e-3","headline":" "}"#,
            #"{"id":"","headline":"x"}"#,
            #"{"id":"e-5","headline":"x","tickers":[]}"#,
            #"{"id":"e-6","headline":"x","tickers":[1]}"#,
            #"{"id":"e-7","headline":"x","published_at":"2026-12-04T20:00:00.123+05:30"}"#,
            #"{"id":"e-8","headline":"x","published_at":"2026-02-30T20:00:00Z"}"#,
            #"{"id":"e-9","headline":"x","published_at":"2026-12-04T20:00:00"}"#,
            #"{"id":"e-10","headline":"x","unknown":{"nested":[1,2]}}"#,
            #"{"id":"e-11","headline":null}"#,
            #"{"id":"e-12","body":"\n\t"}"#,
            #"[1,2]"#,
        ]
        let documents = samples + edgeCases
        let jsonDocuments = documents.filter { (try? JSONValue.parse(Data($0.utf8))) != nil }
        let violations = try SchemaValidator.violations(of: jsonDocuments.map { Data($0.utf8) }, schema: "news.input")
        let decoder = NewsMessageDecoder()

        for (document, problems) in zip(jsonDocuments, violations) {
            let accepted = (try? decoder.decode(Data(document.utf8)).get()) != nil
            XCTAssertEqual(accepted, problems.isEmpty, "decoder and schema disagree on \(document): \(problems)")
        }
        let validSamples = samples.filter { (try? decoder.decode(Data($0.utf8)).get()) != nil }
        XCTAssertGreaterThanOrEqual(validSamples.count, 50)
        XCTAssertGreaterThanOrEqual(samples.count - validSamples.count, 5, "the samples need malformed messages for the dead-letter demo")
        XCTAssertGreaterThanOrEqual(validSamples.filter { $0.contains("Halvorsen Bank") }.count, 8)
    }
}
