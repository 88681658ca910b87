import Foundation
import SpecTagKafka

// MARK: - The benchmark's producer

/// Sends the benchmark's news messages, `{"id": "bench-<index>", "headline": ...}` keyed by
/// the id, round-robin over the input partitions.
struct NewsSender {
    let brokers: [String]
    let partitionCount: Int
    /// Messages per second, evenly spaced; 0 sends as fast as the producer accepts them.
    let rate: Double

    /// Returns the id of the message at `index`, which is also its key.
    static func messageID(_ index: Int) -> String {
        "bench-\(index)"
    }

    /// Sends one message per headline with up to 256 awaiting delivery, and returns when
    /// every one is delivered. With a rate, message `i` is sent `i / rate` seconds after the
    /// first; a send that falls behind that schedule goes out at once.
    ///
    /// - Throws: ``KafkaError`` when a send fails.
    func send(_ headlines: [String], to topic: String) async throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: brokers)
        configuration.clientID = "spectag-bench"
        configuration.linger = .milliseconds(5)
        let producer = try KafkaProducer(configuration: configuration)
        let partitions = Int32(partitionCount)
        let encoder = JSONEncoder()
        let values = try headlines.enumerated().map { index, headline in
            try encoder.encode(["id": Self.messageID(index), "headline": headline])
        }
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, value) in values.enumerated() {
                if index >= 256 {
                    try await group.next()
                }
                if rate > 0 {
                    try await Task.sleep(until: start + .seconds(Double(index) / rate), clock: .continuous)
                }
                group.addTask {
                    _ = try await producer.send(
                        topic: topic, key: Data(Self.messageID(index).utf8), value: value, partition: Int32(index) % partitions
                    )
                }
            }
            try await group.waitForAll()
        }
        await producer.close()
    }
}
