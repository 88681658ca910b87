import SpecTagKafka
import XCTest

final class AdminIntegrationTests: TansuTestCase {
    func testCreateTopicAppearsInMetadata() async throws {
        let admin = try makeAdmin()
        let topic = uniqueName("admin")

        try await admin.createTopic(KafkaNewTopic(
            name: topic,
            partitionCount: 3,
            replicationFactor: 1,
            configs: ["cleanup.policy": "compact"]
        ))

        let topics = try await admin.listTopics()
        let listed = try XCTUnwrap(topics.first { $0.name == topic }, "\(topic) missing from \(topics.map(\.name))")
        XCTAssertEqual(listed.partitionCount, 3)
        XCTAssertNil(listed.error)
        let partitionCount = try await admin.partitionCount(topic: topic)
        XCTAssertEqual(partitionCount, 3)
    }

    func testCreateExistingTopicSucceedsWhenIgnored() async throws {
        let admin = try makeAdmin()
        let topic = uniqueName("existing")
        try await admin.createTopic(KafkaNewTopic(name: topic, partitionCount: 2, replicationFactor: 1))

        try await admin.createTopic(KafkaNewTopic(name: topic, partitionCount: 2, replicationFactor: 1), ignoreExisting: true)

        do {
            try await admin.createTopic(KafkaNewTopic(name: topic, partitionCount: 2, replicationFactor: 1))
            XCTFail("expected TOPIC_ALREADY_EXISTS")
        } catch let error as KafkaError {
            XCTAssertEqual(error.name, "TOPIC_ALREADY_EXISTS")
            XCTAssertTrue(error.operation.contains(topic), error.description)
        }
    }

    func testCreateTopicWithBrokerDefaultReplication() async throws {
        let admin = try makeAdmin()
        let topic = uniqueName("default-replication")

        try await admin.createTopic(KafkaNewTopic(name: topic, partitionCount: 2))

        let partitionCount = try await admin.partitionCount(topic: topic)
        XCTAssertEqual(partitionCount, 2)
    }

    func testPartitionCountOfMissingTopicThrows() async throws {
        let admin = try makeAdmin()

        do {
            let count = try await admin.partitionCount(topic: uniqueName("missing"))
            XCTFail("expected an unknown-topic error, got \(count) partitions")
        } catch let error as KafkaError {
            XCTAssertEqual(error.name, "UNKNOWN_TOPIC_OR_PART")
        }
    }

    func testInvalidPartitionCountThrowsBeforeSending() async throws {
        let admin = try makeAdmin()

        do {
            try await admin.createTopic(KafkaNewTopic(name: uniqueName("invalid"), partitionCount: 0))
            XCTFail("expected an invalid-argument error")
        } catch let error as KafkaError {
            XCTAssertEqual(error.name, "_INVALID_ARG")
            XCTAssertTrue(error.operation.contains("describe new topic"), error.description)
            XCTAssertTrue(error.reason.contains("at least 1, got 0"), error.reason)
        }
        let topics = try await admin.listTopics()
        XCTAssertEqual(topics.filter { $0.name.hasPrefix("invalid-") }, [])
    }
}
