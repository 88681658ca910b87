import Foundation
import SpecTagKafka
import SpecTagLogging
import SpecTagSpeculation

// MARK: - Batch processor

/// Tags a batch of work items and builds the records to deliver for each.
///
/// The valid messages of a batch are tagged in one call. When that call fails, each
/// message is tagged alone, so one bad message sends only itself to the dead-letter topic
/// with `tagging_failed`.
struct BatchProcessor: Sendable {
    let worker: TaggingWorker
    let builder: RecordBuilder
    let metrics: ServiceMetrics
    let logger: Logger

    typealias FieldResults = [(field: NewsField, tagged: TaggedText)]

    func process(_ batch: [WorkItem]) async -> [ProcessedItem] {
        metrics.batchSize.observe(Double(batch.count))
        let messages: [(index: Int, message: NewsMessage)] = batch.enumerated().compactMap { index, item in
            guard case .success(let message) = item.content else { return nil }
            return (index, message)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let tagged = await tag(messages.map(\.message))
        metrics.taggingSeconds.observe(clock.now - start)

        var results: [Int: Result<FieldResults, any Error>] = [:]
        for (position, entry) in messages.enumerated() {
            results[entry.index] = tagged[position]
        }
        return batch.enumerated().map { index, item in
            buildRecords(for: item, tagging: results[index])
        }
    }

    // MARK: Tagging

    /// Tags the fields of all messages in one call, falling back to one call per message.
    private func tag(_ messages: [NewsMessage]) async -> [Result<FieldResults, any Error>] {
        guard !messages.isEmpty else { return [] }
        let fields = messages.map(\.taggedFields)
        let texts = fields.flatMap { $0.map(\.text) }
        switch await worker.tag(texts) {
        case .success(let run) where run.texts.count == texts.count:
            var results: [Result<FieldResults, any Error>] = []
            var next = 0
            for messageFields in fields {
                let outputs = run.texts[next..<next + messageFields.count]
                results.append(.success(zip(messageFields.map(\.field), outputs).map { ($0, $1) }))
                next += messageFields.count
            }
            return results
        case .success, .failure:
            guard messages.count > 1 else {
                return [await tagAlone(fields[0])]
            }
            var results: [Result<FieldResults, any Error>] = []
            for messageFields in fields {
                results.append(await tagAlone(messageFields))
            }
            return results
        }
    }

    private func tagAlone(_ fields: [(field: NewsField, text: String)]) async -> Result<FieldResults, any Error> {
        switch await worker.tag(fields.map(\.text)) {
        case .success(let run) where run.texts.count == fields.count:
            return .success(zip(fields.map(\.field), run.texts).map { ($0, $1) })
        case .success(let run):
            return .failure(TaggerOutputMismatch(expected: fields.count, received: run.texts.count))
        case .failure(let error):
            return .failure(error)
        }
    }

    // MARK: Records

    private func buildRecords(for item: WorkItem, tagging: Result<FieldResults, any Error>?) -> ProcessedItem {
        switch item.content {
        case .failure(let rejection):
            return deadLetter(item, rejection)
        case .success(let message):
            switch tagging {
            case .success(let fields):
                do {
                    let latency = ContinuousClock.now - item.receivedAt
                    let records = try builder.taggedRecords(for: message, input: item.message, fields: fields, latency: latency)
                    let statistics = fields.reduce(into: DecodingStatistics()) { $0.add($1.tagged.statistics) }
                    return ProcessedItem(
                        item: item, records: records, deadLetterReason: nil,
                        draftTokens: statistics.draftTokens, acceptedTokens: statistics.acceptedTokens
                    )
                } catch {
                    return taggingFailed(item, message: message, problem: "the tagger's output cannot be written as JSON: \(error)")
                }
            case .failure(let error):
                return taggingFailed(item, message: message, problem: "\(error)")
            case nil:
                return taggingFailed(item, message: message, problem: "the message was not tagged")
            }
        }
    }

    private func taggingFailed(_ item: WorkItem, message: NewsMessage, problem: String) -> ProcessedItem {
        logger.error("tagging failed; sending the message to the dead-letter topic", [
            "message_id": .string(message.id),
            "topic": .string(item.message.topic),
            "partition": .int(Int(item.message.partition)),
            "offset": .int(Int(item.message.offset)),
            "error": .string(problem),
        ])
        return deadLetter(item, InputRejection(reason: .taggingFailed, message: problem, messageID: message.id))
    }

    private func deadLetter(_ item: WorkItem, _ rejection: InputRejection) -> ProcessedItem {
        ProcessedItem(
            item: item,
            records: [builder.deadLetterRecord(for: item.message, rejection: rejection)],
            deadLetterReason: rejection.reason,
            draftTokens: 0,
            acceptedTokens: 0
        )
    }
}

/// A tagger that returned another number of results than texts it was given.
struct TaggerOutputMismatch: Error, CustomStringConvertible {
    let expected: Int
    let received: Int
    var description: String { "the tagger returned \(received) results for \(expected) texts" }
}
