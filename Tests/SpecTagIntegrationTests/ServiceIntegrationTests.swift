import Foundation
import SpecTagKafka
import SpecTagMetrics
import SpecTagSpeculation
import SpecTagStreaming
import XCTest

/// The tagging service run in-process against a Tansu broker.
final class ServiceIntegrationTests: ServiceTestCase {
    func testEveryMessageIsTaggedAndCommitted() async throws {
        let names = makeNames()
        let running = try startService(serviceConfiguration(names))
        let producer = try makeProducer()
        let ids = (0..<40).map { "m-\($0)" }

        try await running.waitUntilReady()
        try await sendNews(ids, to: names.input, producer: producer)
        let tagged = try await readUntil(names.tagged) { Set(Self.keys($0)).isSuperset(of: ids) }
        let entities = try await readUntil(names.entitySentiment, settle: 0.5) { !$0.isEmpty }
        try await Task.sleep(for: .milliseconds(600))
        try await running.stop()
        let committed = try await committedOffsets(group: names.group, topic: names.input)
        let positions = try await inputPositions(names.input, count: ids.count)

        XCTAssertEqual(Set(Self.keys(tagged)), Set(ids))
        XCTAssertEqual(tagged.count, ids.count, "duplicates without a failure")
        XCTAssertFalse(entities.isEmpty)
        for entity in entities {
            let value = try XCTUnwrap(Self.json(entity))
            XCTAssertTrue(ids.contains(value["message_id"] as? String ?? ""), "\(value)")
        }
        for (partition, offsets) in positions {
            XCTAssertEqual(committed[partition], (offsets.keys.max() ?? -1) + 1, "committed offset of \(partition)")
        }
        let rendered = running.registry.render()
        XCTAssertTrue(rendered.contains("spectag_messages_total{direction=\"in\",topic=\"\(names.input)\"} 40"), rendered)
        XCTAssertTrue(rendered.contains("spectag_messages_total{direction=\"out\",topic=\"\(names.tagged)\"} 40"), rendered)
        if let violations = try ServiceSchemaCheck.violations(of: tagged.compactMap(\.value), schema: "news.tagged") {
            XCTAssertEqual(violations.map(\.problems), [], "\(violations.first?.document ?? "")")
        }
        if let violations = try ServiceSchemaCheck.violations(of: entities.compactMap(\.value), schema: "news.entity-sentiment") {
            XCTAssertEqual(violations.map(\.problems), [], "\(violations.first?.document ?? "")")
        }
        await producer.close()
    }

    func testBadInputsGoToDeadLettersWithReasons() async throws {
        let names = makeNames()
        var configuration = serviceConfiguration(names)
        configuration.maxMessageBytes = 2000
        configuration.topicPartitions = 1
        let tagger = PoisonRejectingTagger(tagger: try Self.loadTinyTagger())
        let running = try startService(configuration, tagger: tagger)
        let producer = try makeProducer()
        let inputs: [(key: String, value: Data, reason: String?)] = [
            ("good-1", Data(Self.newsJSON("good-1").utf8), nil),
            ("utf8", Data([0x7B, 0x22, 0xFF, 0x22, 0x7D]), "invalid_utf8"),
            ("good-2", Data(Self.newsJSON("good-2").utf8), nil),
            ("json", Data(#"{"id":"json","headline":"#.utf8), "invalid_json"),
            ("schema", Data(#"{"id":"schema","headline":["not","a","string"]}"#.utf8), "schema_violation"),
            ("good-3", Data(Self.newsJSON("good-3").utf8), nil),
            ("empty", Data(#"{"id":"empty","headline":"   "}"#.utf8), "no_text"),
            ("large", Data(Self.newsJSON("large", headline: String(repeating: "word ", count: 500)).utf8), "too_large"),
            ("poison", Data(Self.newsJSON("poison", headline: "POISON pill adopted by Acme").utf8), "tagging_failed"),
            ("good-4", Data(Self.newsJSON("good-4").utf8), nil),
        ]

        // One at a time, so the input offsets follow the list.
        try await running.waitUntilReady()
        for input in inputs {
            try await sendRaw([input.value], keys: [input.key], to: names.input, producer: producer)
        }
        let expectedDeadLetters = inputs.filter { $0.reason != nil }
        let deadLetters = try await readUntil(names.deadLetter) { $0.count >= expectedDeadLetters.count }
        let tagged = try await readUntil(names.tagged) { $0.count >= 4 }
        try await running.stop()

        XCTAssertEqual(Set(Self.keys(tagged)), ["good-1", "good-2", "good-3", "good-4"])
        XCTAssertEqual(deadLetters.count, expectedDeadLetters.count)
        for (offset, input) in inputs.enumerated() where input.reason != nil {
            let record = deadLetters.first { $0.key == Data(input.key.utf8) }
            let value = try XCTUnwrap(record.flatMap(Self.json), "no dead letter for \(input.key)")
            let original = try XCTUnwrap(value["original"] as? [String: Any])
            XCTAssertEqual(value["error_code"] as? String, input.reason, input.key)
            XCTAssertEqual(original["offset"] as? Int, offset, input.key)
            XCTAssertEqual(original["topic"] as? String, names.input)
            let bytes = (original["value_base64"] as? String).flatMap { Data(base64Encoded: $0) }
            XCTAssertEqual(bytes, input.value, input.key)
        }
        if let violations = try ServiceSchemaCheck.violations(of: deadLetters.compactMap(\.value), schema: "news.dead-letter") {
            XCTAssertEqual(violations.map(\.problems), [])
        }
        let rendered = running.registry.render()
        for input in expectedDeadLetters {
            XCTAssertTrue(rendered.contains("spectag_dead_letters_total{reason=\"\(input.reason ?? "")\"} 1"), rendered)
        }
        await producer.close()
    }

    func testInFlightLimitPausesAndResumesInput() async throws {
        let names = makeNames()
        var configuration = serviceConfiguration(names)
        configuration.maxInFlightMessages = 2
        configuration.maxBatchMessages = 1
        configuration.topicPartitions = 1
        let running = try startService(configuration)
        let producer = try makeProducer()
        let ids = (0..<30).map { "p-\($0)" }

        try await running.waitUntilReady()
        try await sendNews(ids, to: names.input, producer: producer)
        let tagged = try await readUntil(names.tagged) { Set(Self.keys($0)).isSuperset(of: ids) }
        try await running.stop()

        XCTAssertEqual(Set(Self.keys(tagged)), Set(ids))
        XCTAssertFalse(running.logged("pausing the input partitions").isEmpty, "the in-flight limit never paused the input")
        XCTAssertFalse(running.logged("resuming the input partitions").isEmpty, "the paused input never resumed")
        XCTAssertTrue(running.registry.render().contains("spectag_paused 0"))
        await producer.close()
    }
}

/// The tiny tagger, failing every call whose texts contain "POISON".
struct PoisonRejectingTagger: NewsTagging {
    let tagger: TextTagger
    var modelName: String { tagger.modelName }
    var drafterName: String { tagger.drafterName }
    var sentimentLabels: [String] { tagger.sentimentLabels }

    struct Poisoned: Error, CustomStringConvertible {
        var description: String { "the text contains POISON" }
    }

    func tagTexts(_ texts: [String]) throws -> TaggingRun {
        if texts.contains(where: { $0.contains("POISON") }) { throw Poisoned() }
        return try tagger.tagTexts(texts)
    }
}
