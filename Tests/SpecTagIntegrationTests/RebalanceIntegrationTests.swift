import Foundation
import SpecTagKafka
import SpecTagLocalProcess
import XCTest

final class RebalanceIntegrationTests: TansuTestCase {
    func testTwoEagerConsumersSplitFourPartitions() async throws {
        try await checkTwoConsumersSplitFourPartitions(strategy: .range, expectedProtocol: "EAGER")
    }

    func testTwoCooperativeConsumersSplitFourPartitions() async throws {
        try await checkTwoConsumersSplitFourPartitions(strategy: .cooperativeSticky, expectedProtocol: "COOPERATIVE")
    }

    func testRevocationHandlerOffsetsAreCommitted() async throws {
        let topic = uniqueName("handover")
        let group = uniqueName("handover-group")
        try await createTopic(topic, partitions: 2)
        let producer = try makeProducer()
        for partition in Int32(0)..<2 {
            _ = try await produce((0..<5).map { "p\(partition)-\($0)" }, to: topic, producer: producer, partition: partition)
        }

        let calls = RevocationCalls()
        let first = try makeConsumer(group: group) { configuration in
            configuration.revocationHandler = { partitions in calls.handle(partitions) }
        }
        calls.consumer = first
        try first.subscribe(topics: [topic])
        let firstPoller = BackgroundPoller(first)
        try await withDeadline(seconds: 20, waitingFor: "the first consumer's two partitions") {
            while try first.assignment().count < 2 {
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        let second = try makeConsumer(group: group)
        try second.subscribe(topics: [topic])
        let secondPoller = BackgroundPoller(second)
        let received = try await withDeadline(seconds: 30, waitingFor: "the second consumer's first message") {
            while true {
                if let message = secondPoller.messages.first { return message }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        let record = try XCTUnwrap(calls.records.first, "the revocation handler was never called")
        XCTAssertEqual(Set(record.assignedDuringCall), Set(record.partitions), "the partitions were released before the handler ran")
        XCTAssertTrue(record.partitions.contains(received.topicPartition), "\(received.topicPartition) moved without a revocation call: \(calls.records)")
        // The handler stored offset 3 for every revoked partition; the commit before the
        // release carried it, so the new owner starts there.
        XCTAssertEqual(received.offset, 3, "the second consumer did not start at the offset stored during revocation")

        await secondPoller.stop()
        await firstPoller.stop()
        try await second.close()
        try await first.close()
        await producer.close()
    }

    private func checkTwoConsumersSplitFourPartitions(
        strategy: KafkaConsumerConfiguration.AssignmentStrategy,
        expectedProtocol: String
    ) async throws {
        let topic = uniqueName("split")
        let group = uniqueName("splitters")
        try await createTopic(topic, partitions: 4)
        let allPartitions = (0..<4).map { KafkaTopicPartition(topic: topic, partition: $0) }
        let configure: (inout KafkaConsumerConfiguration) -> Void = { $0.assignmentStrategies = [strategy] }

        let first = try makeConsumer(group: group, configure)
        let firstEvents = EventRecorder(first)
        try first.subscribe(topics: [topic])
        let firstPoller = BackgroundPoller(first)
        _ = try await firstEvents.waitFor("first consumer's assignment", seconds: 20) { event in
            if case .partitionsAssigned(let partitions) = event { return partitions.count == 4 }
            return false
        }

        let second = try makeConsumer(group: group, configure)
        let secondEvents = EventRecorder(second)
        try second.subscribe(topics: [topic])
        let secondPoller = BackgroundPoller(second)
        let (firstAssignment, secondAssignment) = try await withDeadline(seconds: 30, waitingFor: "a 2+2 split") {
            while true {
                let firstAssignment = try first.assignment()
                let secondAssignment = try second.assignment()
                if firstAssignment.count == 2, secondAssignment.count == 2 {
                    return (firstAssignment, secondAssignment)
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        XCTAssertEqual(Set(firstAssignment).union(secondAssignment), Set(allPartitions))
        XCTAssertTrue(Set(firstAssignment).isDisjoint(with: secondAssignment))
        XCTAssertEqual(first.rebalanceProtocol, expectedProtocol)
        let revokedFromFirst = firstEvents.events.flatMap { event -> [KafkaTopicPartition] in
            if case .partitionsRevoked(let partitions) = event { return partitions }
            return []
        }
        XCTAssertEqual(Set(revokedFromFirst).isSuperset(of: secondAssignment), true,
                       "first consumer was not told that \(secondAssignment) were revoked: \(firstEvents.events)")
        let assignedToSecond = secondEvents.events.flatMap { event -> [KafkaTopicPartition] in
            if case .partitionsAssigned(let partitions) = event { return partitions }
            return []
        }
        XCTAssertEqual(Set(assignedToSecond), Set(secondAssignment))

        await firstPoller.stop()
        await secondPoller.stop()
        try await second.close()
        try await first.close()
    }
}

/// Records each revocation handler call and stores offset 3 for the partitions, as a service
/// would store the offsets of the work it finishes before the partitions move.
private final class RevocationCalls: @unchecked Sendable {
    struct Record {
        let partitions: [KafkaTopicPartition]
        let assignedDuringCall: [KafkaTopicPartition]
    }

    private let lock = NSLock()
    private var recorded: [Record] = []
    private var storedConsumer: KafkaConsumer?

    var consumer: KafkaConsumer? {
        get { lock.withLock { storedConsumer } }
        set { lock.withLock { storedConsumer = newValue } }
    }

    var records: [Record] {
        lock.withLock { recorded }
    }

    func handle(_ partitions: [KafkaTopicPartition]) {
        guard let consumer else { return }
        let assigned = (try? consumer.assignment()) ?? []
        try? consumer.storeOffsets(Dictionary(uniqueKeysWithValues: partitions.map { ($0, Int64(3)) }))
        lock.withLock { recorded.append(Record(partitions: partitions, assignedDuringCall: assigned.filter(partitions.contains))) }
    }
}
