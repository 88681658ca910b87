import Foundation
import SpecTagKafka
import SpecTagLogging

// MARK: - Changelog restore

/// Reads entity states back from the compacted changelog topic.
///
/// The stage writes each entity's state to the changelog partition with the number of the
/// input partition the entity's records come from, so the state of input partition `p` is
/// in changelog partition `p`. To know where the partition ends, the restorer first appends
/// a marker (a tombstone with a key that no entity key can have) to each partition it needs,
/// and then reads until it reaches the markers. Every state written and acknowledged before
/// is therefore read.
///
/// The Kafka client has no manual partition assignment, so the restorer reads with a
/// consumer in a new group of its own that is assigned every partition, and skips the
/// partitions it does not need. It commits nothing.
struct ChangelogRestorer {
    /// The key of the end markers. Entity keys never contain control characters.
    static let markerKey = Data("\u{0}spectag.alert-state.end-marker".utf8)

    let configuration: AlertStageConfiguration
    let producer: KafkaProducer
    let logger: Logger

    private var topic: String { configuration.alerts.topics.changelog }

    /// Returns the last state of every entity in the changelog `partitions`, leaving out
    /// entities whose last record is a tombstone.
    ///
    /// A state that cannot be decoded is logged and skipped, so that entity starts empty.
    /// - Throws: ``AlertStageError/deliveryFailed(topic:key:underlying:)`` when a marker
    ///   cannot be written, ``AlertStageError/restoreTimedOut(topic:partitions:timeout:)``,
    ///   or ``KafkaError`` from the consumer.
    func restore(partitions: Set<Int32>) async throws -> [EntityWindowState] {
        guard !partitions.isEmpty else { return [] }
        let markerOffsets = try await appendMarkers(to: partitions)

        let groupID = "\(configuration.alerts.groupID).restore.\(UUID().uuidString.lowercased())"
        let consumer = try KafkaConsumer(configuration: configuration.restoreConsumerConfiguration(groupID: groupID))
        do {
            try consumer.subscribe(topics: [topic])
            let states = try await readUntilMarkers(consumer, markerOffsets: markerOffsets)
            try await consumer.close()
            return states
        } catch {
            try? await consumer.close()
            throw error
        }
    }

    private func appendMarkers(to partitions: Set<Int32>) async throws -> [Int32: Int64] {
        var offsets: [Int32: Int64] = [:]
        for partition in partitions.sorted() {
            do {
                let report = try await producer.send(topic: topic, key: Self.markerKey, value: nil, partition: partition)
                offsets[partition] = report.offset
            } catch let error as KafkaError {
                throw AlertStageError.deliveryFailed(topic: "\(topic)[\(partition)]", key: "end marker", underlying: error)
            }
        }
        return offsets
    }

    private func readUntilMarkers(_ consumer: KafkaConsumer, markerOffsets: [Int32: Int64]) async throws -> [EntityWindowState] {
        let timeout = configuration.alerts.restoreTimeout
        let deadline = ContinuousClock.now + timeout.duration
        var remaining = Set(markerOffsets.keys)
        var states: [String: EntityWindowState] = [:]

        while !remaining.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw AlertStageError.restoreTimedOut(topic: topic, partitions: remaining.sorted(), timeout: timeout)
            }
            guard let message = try await consumer.poll(timeout: .milliseconds(100)),
                  let markerOffset = markerOffsets[message.partition], remaining.contains(message.partition)
            else { continue }
            if message.offset >= markerOffset {
                remaining.remove(message.partition)
                continue
            }
            apply(message, to: &states)
        }
        return Array(states.values)
    }

    private func apply(_ message: KafkaConsumerMessage, to states: inout [String: EntityWindowState]) {
        guard let keyData = message.key, keyData != Self.markerKey else { return }
        let key = String(decoding: keyData, as: UTF8.self)
        guard let value = message.value else {
            states[key] = nil
            return
        }
        do {
            var state = try JSONDecoder().decode(EntityWindowState.self, from: value)
            state.partition = message.partition
            states[key] = state
        } catch {
            logger.error(
                "skipping undecodable entity state in changelog; the entity starts with empty windows",
                [
                    "topic": .string(message.topic),
                    "partition": .int(Int(message.partition)),
                    "offset": .int(Int(message.offset)),
                    "entity_key": .string(key),
                    "error": .string("\(error)"),
                ]
            )
        }
    }
}
