import Foundation
import SpecTagKafka
import SpecTagMetrics

// MARK: - Records of one run, read back from the broker

/// The records of one benchmark run, keyed by message id: when each input was sent and the
/// first output written for it.
struct RunRecords {
    struct Output {
        var topic: String
        /// The record's CreateTime, set by the producing client when it sent the record.
        var timestamp: Date
        var value: Data?
    }

    /// The CreateTime of each input record, set by the benchmark's producer at send.
    var inputTimestamps: [String: Date] = [:]
    /// The earliest output per message id, over every output topic.
    var outputs: [String: Output] = [:]
    /// Outputs beyond the first for the same message id, which at-least-once delivery allows.
    var duplicateOutputs = 0

    /// End-to-end latencies in milliseconds: output CreateTime minus input CreateTime, for each
    /// message id that has both.
    var latenciesMilliseconds: [Double] {
        inputTimestamps.compactMap { id, sent in
            outputs[id].map { $0.timestamp.timeIntervalSince(sent) * 1000 }
        }
    }

    /// The output values by message id, for comparing two pipelines.
    var outputValues: [String: Data] {
        outputs.compactMapValues(\.value)
    }

    mutating func add(_ message: KafkaConsumerMessage, inputTopic: String) throws {
        guard let key = message.key.map({ String(decoding: $0, as: UTF8.self) }) else {
            throw CLIError("\(message.topic) partition \(message.partition) offset \(message.offset) has no key; expected the message id")
        }
        guard let timestamp = message.timestamp else {
            throw CLIError("\(message.topic) partition \(message.partition) offset \(message.offset) has no timestamp; the broker must keep CreateTime")
        }
        if message.topic == inputTopic {
            inputTimestamps[key] = timestamp
        } else if let earlier = outputs[key] {
            duplicateOutputs += 1
            if timestamp < earlier.timestamp {
                outputs[key] = Output(topic: message.topic, timestamp: timestamp, value: message.value)
            }
        } else {
            outputs[key] = Output(topic: message.topic, timestamp: timestamp, value: message.value)
        }
    }
}

/// The p50 and p99 of a run's end-to-end latencies, nearest-rank, in milliseconds.
struct LatencySummary {
    var p50: Double
    var p99: Double
    /// Messages that had both an input and an output record.
    var count: Int

    /// Returns `nil` when `milliseconds` is empty.
    init?(_ milliseconds: [Double]) {
        guard let p50 = Percentile.nearestRank(50, of: milliseconds),
              let p99 = Percentile.nearestRank(99, of: milliseconds) else { return nil }
        self.p50 = p50
        self.p99 = p99
        count = milliseconds.count
    }
}

// MARK: - Reading

enum RunRecordsReader {
    /// Reads `inputTopic` and `outputTopics` from the beginning in a new consumer group until
    /// it has `count` inputs and an output for each of them.
    ///
    /// - Throws: `CLIError` when a record has no key or timestamp, or when not every record
    ///   arrived within `timeout`; ``KafkaError`` when consuming fails.
    static func read(
        brokers: [String],
        inputTopic: String,
        outputTopics: [String],
        count: Int,
        timeout: Duration = .seconds(60)
    ) async throws -> RunRecords {
        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: brokers,
            groupID: "\(inputTopic)-reader-\(UUID().uuidString.prefix(8).lowercased())"
        )
        configuration.clientID = "spectag-bench-reader"
        // Short enough for a quick join on brokers that delay joins by half of it.
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .seconds(1)
        configuration.isolationLevel = .readCommitted
        let consumer = try KafkaConsumer(configuration: configuration)
        try consumer.subscribe(topics: [inputTopic] + outputTopics)

        var records = RunRecords()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !isComplete(records, count: count) {
            if let message = try await consumer.poll(timeout: .milliseconds(100)) {
                try records.add(message, inputTopic: inputTopic)
            }
        }
        try? await consumer.close()
        guard isComplete(records, count: count) else {
            throw CLIError("reading the run back found \(records.inputTimestamps.count) of \(count) inputs and \(records.outputs.count) outputs before the timeout")
        }
        return records
    }

    private static func isComplete(_ records: RunRecords, count: Int) -> Bool {
        records.inputTimestamps.count >= count
            && records.outputs.count >= count
            && records.inputTimestamps.keys.allSatisfy { records.outputs[$0] != nil }
    }
}
