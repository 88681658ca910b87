import CRdKafka
import Foundation
@testable import SpecTagKafka
import SpecTagLocalProcess
import XCTest

final class MockClusterConsumerTests: XCTestCase {
    private func makeConsumer(
        mock: MockCluster,
        group: String,
        commitStoredOffsetsOnRevoke: Bool = true
    ) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: [mock.bootstrapServers], groupID: group)
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .milliseconds(500)
        configuration.commitStoredOffsetsOnRevoke = commitStoredOffsetsOnRevoke
        return try KafkaConsumer(configuration: configuration)
    }

    /// Consumes and stores three messages, closes the consumer without an explicit commit,
    /// and returns what a new member of the group finds committed.
    private func committedAfterCloseWithStoredOffsets(commitStoredOffsetsOnRevoke: Bool) async throws
        -> [KafkaTopicPartition: Int64] {
        let mock = try MockCluster()
        try mock.createTopic("revoked")
        for index in 0..<3 {
            _ = try await mock.producer.send(topic: "revoked", value: Data("message \(index)".utf8))
        }
        let consumer = try makeConsumer(
            mock: mock,
            group: "mock-revoke",
            commitStoredOffsetsOnRevoke: commitStoredOffsetsOnRevoke
        )
        try consumer.subscribe(topics: ["revoked"])
        for message in try await consume(3, from: consumer) {
            try consumer.storeOffset(message)
        }
        try await consumer.close()

        let successor = try makeConsumer(mock: mock, group: "mock-revoke")
        let committed = try await successor.committed([KafkaTopicPartition(topic: "revoked", partition: 0)])
        try await successor.close()
        await mock.producer.close()
        return committed
    }

    /// Reads `count` messages from `consumer`, failing after `seconds`.
    private func consume(_ count: Int, from consumer: KafkaConsumer, seconds: Double = 30) async throws
        -> [KafkaConsumerMessage] {
        try await withDeadline(seconds: seconds, waitingFor: "\(count) messages") {
            var received: [KafkaConsumerMessage] = []
            for try await message in consumer.messages {
                received.append(message)
                if received.count == count { break }
            }
            return received
        }
    }

    /// Subscribes a consumer with a 300 ms commit timeout to a new one-message topic and
    /// returns it with the message it read. The long session timeout keeps the member in the
    /// group while the tests delay the mock broker's responses.
    private func makeSlowCommitConsumer(mock: MockCluster, topic: String) async throws
        -> (KafkaConsumer, KafkaConsumerMessage) {
        try mock.createTopic(topic)
        _ = try await mock.producer.send(topic: topic, value: Data("one".utf8))
        var configuration = KafkaConsumerConfiguration(bootstrapServers: [mock.bootstrapServers], groupID: "group-\(topic)")
        configuration.sessionTimeout = .seconds(30)
        configuration.heartbeatInterval = .seconds(1)
        configuration.commitTimeout = .milliseconds(300)
        let consumer = try KafkaConsumer(configuration: configuration)
        try consumer.subscribe(topics: [topic])
        let received = try await consume(1, from: consumer)
        return (consumer, try XCTUnwrap(received.first))
    }

    func testConsumerReadsStoresAndCommitsOffsets() async throws {
        let mock = try MockCluster()
        try mock.createTopic("articles")
        for index in 0..<5 {
            _ = try await mock.producer.send(
                topic: "articles",
                key: Data("key-\(index)".utf8),
                value: Data("article \(index)".utf8),
                headers: [KafkaHeader(name: "source", value: Data("wire".utf8)), KafkaHeader(name: "empty", value: nil)]
            )
        }
        let consumer = try makeConsumer(mock: mock, group: "mock-taggers")
        try consumer.subscribe(topics: ["articles"])

        let messages = try await consume(5, from: consumer)
        for message in messages {
            try consumer.storeOffset(message)
        }
        try await consumer.commit()

        XCTAssertEqual(messages.map(\.offset), [0, 1, 2, 3, 4])
        XCTAssertEqual(messages.first?.key, Data("key-0".utf8))
        XCTAssertEqual(messages.last?.value, Data("article 4".utf8))
        XCTAssertEqual(messages.first?.headers, [
            KafkaHeader(name: "source", value: Data("wire".utf8)),
            KafkaHeader(name: "empty", value: nil),
        ])
        XCTAssertNotNil(messages.first?.timestamp)
        let partition = KafkaTopicPartition(topic: "articles", partition: 0)
        let committed = try await consumer.committed([partition])
        XCTAssertEqual(committed, [partition: 5])
        XCTAssertEqual(try consumer.position([partition]), [partition: 5])
        XCTAssertEqual(try consumer.assignment(), [partition])
        try await consumer.close()
        await mock.producer.close()
    }

    func testCloseCommitsStoredOffsets() async throws {
        let committed = try await committedAfterCloseWithStoredOffsets(commitStoredOffsetsOnRevoke: true)

        XCTAssertEqual(committed, [KafkaTopicPartition(topic: "revoked", partition: 0): 3])
    }

    func testCloseWithoutCommitOnRevokeKeepsOffsets() async throws {
        let committed = try await committedAfterCloseWithStoredOffsets(commitStoredOffsetsOnRevoke: false)

        XCTAssertEqual(committed, [:])
    }

    func testCommitWithNothingStoredSucceeds() async throws {
        let mock = try MockCluster()
        try mock.createTopic("quiet")
        _ = try await mock.producer.send(topic: "quiet", value: Data("one".utf8))
        let consumer = try makeConsumer(mock: mock, group: "mock-quiet")
        try consumer.subscribe(topics: ["quiet"])
        _ = try await consume(1, from: consumer)

        try await consumer.commit()
        try consumer.commitSync()

        let partition = KafkaTopicPartition(topic: "quiet", partition: 0)
        let committed = try await consumer.committed([partition])
        XCTAssertEqual(committed, [:])
        try await consumer.close()
        await mock.producer.close()
    }

    /// A coordinator that does not respond makes ``KafkaConsumer/commit()`` fail after the
    /// commit timeout instead of blocking, and the offsets stay stored for the next commit.
    func testCommitTimesOutWhenCoordinatorIsSilent() async throws {
        let mock = try MockCluster()
        let (consumer, message) = try await makeSlowCommitConsumer(mock: mock, topic: "silent")
        try consumer.storeOffset(message)

        mock.delayResponses(milliseconds: 5000)
        let started = ContinuousClock.now
        do {
            try await consumer.commit()
            XCTFail("the commit returned although the coordinator did not respond")
        } catch let error as KafkaError {
            XCTAssertEqual(error.code, RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, "\(error)")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3), "the commit waited past its timeout")

        mock.delayResponses(milliseconds: 0)
        let partition = KafkaTopicPartition(topic: "silent", partition: 0)
        var committed: [KafkaTopicPartition: Int64] = [:]
        let deadline = ContinuousClock.now + .seconds(20)
        while committed[partition] != 1, ContinuousClock.now < deadline {
            try? await consumer.commit()
            committed = try await consumer.committed([partition])
        }
        XCTAssertEqual(committed, [partition: 1], "the stored offset was not committed after the delay ended")
        try await consumer.close()
        await mock.producer.close()
    }

    func testCommitOffsetsTimesOutWhenCoordinatorIsSilent() async throws {
        let mock = try MockCluster()
        let (consumer, _) = try await makeSlowCommitConsumer(mock: mock, topic: "silent-explicit")
        let partition = KafkaTopicPartition(topic: "silent-explicit", partition: 0)

        mock.delayResponses(milliseconds: 5000)
        let started = ContinuousClock.now
        do {
            try await consumer.commit(offsets: [partition: 1])
            XCTFail("the commit returned although the coordinator did not respond")
        } catch let error as KafkaError {
            XCTAssertEqual(error.code, RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, "\(error)")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3), "the commit waited past its timeout")

        mock.delayResponses(milliseconds: 0)
        var committed: [KafkaTopicPartition: Int64] = [:]
        let deadline = ContinuousClock.now + .seconds(20)
        while committed[partition] != 1, ContinuousClock.now < deadline {
            try? await consumer.commit(offsets: [partition: 1])
            committed = try await consumer.committed([partition])
        }
        XCTAssertEqual(committed, [partition: 1], "the explicit offset was not committed after the delay ended")
        try await consumer.close()
        await mock.producer.close()
    }

    func testStoreOffsetForUnassignedPartitionThrows() async throws {
        let mock = try MockCluster()
        try mock.createTopic("assigned")
        _ = try await mock.producer.send(topic: "assigned", value: Data("one".utf8))
        let consumer = try makeConsumer(mock: mock, group: "mock-store")
        try consumer.subscribe(topics: ["assigned"])
        _ = try await consume(1, from: consumer)
        let foreign = KafkaConsumerMessage(topic: "elsewhere", partition: 3, offset: 9, key: nil, value: nil)

        XCTAssertThrowsError(try consumer.storeOffset(foreign)) { error in
            XCTAssertTrue("\(error)".contains("elsewhere[3]"), "\(error)")
        }
        try await consumer.close()
        await mock.producer.close()
    }

    func testCloseEndsMessagesAndEvents() async throws {
        let mock = try MockCluster()
        try mock.createTopic("closing")
        _ = try await mock.producer.send(topic: "closing", value: Data("one".utf8))
        let consumer = try makeConsumer(mock: mock, group: "mock-close")
        try consumer.subscribe(topics: ["closing"])
        _ = try await consume(1, from: consumer)

        try await consumer.close()

        let afterClose = try await withDeadline(seconds: 5, waitingFor: "end of messages") {
            var count = 0
            for try await _ in consumer.messages { count += 1 }
            return count
        }
        XCTAssertEqual(afterClose, 0)
        let events = try await withDeadline(seconds: 5, waitingFor: "end of events") {
            var collected: [KafkaConsumerEvent] = []
            for await event in consumer.events { collected.append(event) }
            return collected
        }
        XCTAssertTrue(events.contains { if case .partitionsAssigned = $0 { true } else { false } })
        XCTAssertTrue(events.contains { if case .partitionsRevoked = $0 { true } else { false } })
        XCTAssertThrowsError(try consumer.commitSync()) { error in
            XCTAssertEqual((error as? KafkaError)?.name, "_STATE")
        }
        await mock.producer.close()
    }
}
