import Foundation
import SpecTagKafka
import SpecTagLogging
import SpecTagMetrics
import SpecTagSpeculation
@testable import SpecTagStreaming
import XCTest

/// A tagger that fails every call whose texts contain "POISON", like a tagger that cannot
/// take one message of a batch.
private struct PoisonSensitiveTagger: NewsTagging {
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

final class BatchProcessorTests: XCTestCase {
    private func processor(registry: MetricsRegistry) throws -> BatchProcessor {
        let tagger = PoisonSensitiveTagger(tagger: try TinyTagger.make())
        return BatchProcessor(
            worker: TaggingWorker(tagger: tagger),
            builder: RecordBuilder(topics: OutputTopics(), modelName: tagger.modelName, drafterName: tagger.drafterName),
            metrics: try ServiceMetrics(registry: registry),
            logger: Logger(label: "test", handler: RecordingLogHandler())
        )
    }

    private func items(_ values: [String]) -> [WorkItem] {
        var tracker = OffsetTracker()
        let decoder = NewsMessageDecoder()
        return values.enumerated().map { index, value in
            let message = KafkaConsumerMessage.news(value, offset: Int64(index))
            return WorkItem(
                message: message,
                ticket: tracker.begin(message.topicPartition, offset: message.offset),
                receivedAt: .now,
                content: decoder.decode(message.value)
            )
        }
    }

    func testFailingMessageGoesAloneToDeadLetters() async throws {
        let registry = MetricsRegistry()
        let batch = items([
            #"{"id":"ok-1","headline":"Shares of Acme rose"}"#,
            #"{"id":"bad-1","headline":"POISON pill adopted"}"#,
            #"{"id":"ok-2","body":"Oil fell in London."}"#,
        ])

        let processed = try await processor(registry: registry).process(batch)

        XCTAssertEqual(processed.count, 3)
        XCTAssertNil(processed[0].deadLetterReason)
        XCTAssertEqual(processed[0].records.first?.topic, "news.tagged")
        XCTAssertEqual(processed[1].deadLetterReason, .taggingFailed)
        XCTAssertEqual(processed[1].records.map(\.topic), ["news.dead-letter"])
        let deadLetter = try XCTUnwrap(JSONSerialization.jsonObject(with: processed[1].records[0].value) as? [String: Any])
        XCTAssertEqual(deadLetter["message_id"] as? String, "bad-1")
        XCTAssertEqual(deadLetter["error_message"] as? String, "the text contains POISON")
        XCTAssertNil(processed[2].deadLetterReason)
        XCTAssertEqual(processed[2].records.first?.key, Data("ok-2".utf8))
    }

    func testRejectedInputBecomesDeadLetterWithItsReason() async throws {
        let registry = MetricsRegistry()
        let batch = items([#"{"id":"x"}"#, "not json", #"{"id":"ok","headline":"Fine news"}"#])

        let processed = try await processor(registry: registry).process(batch)

        XCTAssertEqual(processed.map(\.deadLetterReason), [.noText, .invalidJSON, nil])
        XCTAssertTrue(registry.render().contains("spectag_batch_size_count 1"), registry.render())
    }
}
