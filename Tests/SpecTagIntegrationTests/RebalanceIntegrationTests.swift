import Foundation
import SpecTagKafka
import XCTest

final class RebalanceIntegrationTests: TansuTestCase {
    func testTwoEagerConsumersSplitFourPartitions() async throws {
        try await checkTwoConsumersSplitFourPartitions(strategy: .range, expectedProtocol: "EAGER")
    }

    func testTwoCooperativeConsumersSplitFourPartitions() async throws {
        try await checkTwoConsumersSplitFourPartitions(strategy: .cooperativeSticky, expectedProtocol: "COOPERATIVE")
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
