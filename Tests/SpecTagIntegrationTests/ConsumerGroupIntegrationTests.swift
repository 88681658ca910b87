import Foundation
import SpecTagKafka
import XCTest

final class ConsumerGroupIntegrationTests: TansuTestCase {
    func testProducedMessagesAreConsumedAndCommitted() async throws {
        let topic = uniqueName("news")
        try await createTopic(topic, partitions: 2)
        let producer = try makeProducer()
        let values = (0..<20).map { "article-\($0)" }

        let reports = try await produce(values, to: topic, producer: producer)
        let consumer = try makeConsumer(group: uniqueName("taggers"))
        try consumer.subscribe(topics: [topic])
        let messages = try await consume(values.count, from: consumer)
        for message in messages {
            try consumer.storeOffset(message)
        }
        try await consumer.commit()

        XCTAssertEqual(reports.count, values.count)
        XCTAssertEqual(Set(messages.compactMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }), Set(values))
        var expected: [KafkaTopicPartition: Int64] = [:]
        for report in reports {
            let partition = KafkaTopicPartition(topic: report.topic, partition: report.partition)
            expected[partition] = max(expected[partition] ?? 0, report.offset + 1)
        }
        let partitions = (0..<2).map { KafkaTopicPartition(topic: topic, partition: $0) }
        let committed = try await consumer.committed(partitions)
        XCTAssertEqual(committed, expected)
        try await consumer.close()
        await producer.close()
    }

    func testRestartedConsumerResumesAfterCommittedOffset() async throws {
        let topic = uniqueName("resume")
        let group = uniqueName("resumers")
        try await createTopic(topic)
        let producer = try makeProducer()
        _ = try await produce((0..<10).map { "first-\($0)" }, to: topic, producer: producer)

        let first = try makeConsumer(group: group)
        try first.subscribe(topics: [topic])
        let firstBatch = try await consume(10, from: first)
        for message in firstBatch {
            try first.storeOffset(message)
        }
        try await first.commit()
        try await first.close()

        _ = try await produce((0..<5).map { "second-\($0)" }, to: topic, producer: producer)
        let second = try makeConsumer(group: group)
        try second.subscribe(topics: [topic])
        let secondBatch = try await consume(5, from: second)
        let extra = try await drain(second, seconds: 1.5)

        XCTAssertEqual(firstBatch.map(\.offset), Array(0..<10))
        XCTAssertEqual(secondBatch.map(\.offset), Array(10..<15))
        XCTAssertEqual(secondBatch.first?.value, Data("second-0".utf8))
        XCTAssertEqual(extra.map(\.offset), [], "messages read again after the committed offset")
        try await second.close()
        await producer.close()
    }

    func testPausedPartitionDeliversNothingUntilResumed() async throws {
        let topic = uniqueName("paused")
        try await createTopic(topic)
        let producer = try makeProducer()
        _ = try await produce((0..<6).map { "item-\($0)" }, to: topic, producer: producer)
        let consumer = try makeConsumer(group: uniqueName("pausers"))
        try consumer.subscribe(topics: [topic])
        let partition = KafkaTopicPartition(topic: topic, partition: 0)

        let beforePause = try await consume(2, from: consumer)
        try consumer.pause([partition])
        let whilePaused = try await drain(consumer, seconds: 1.5)
        try consumer.resume([partition])
        let afterResume = try await consume(4, from: consumer)

        XCTAssertEqual(beforePause.map(\.offset), [0, 1])
        XCTAssertEqual(whilePaused.map(\.offset), [])
        XCTAssertEqual(afterResume.map(\.offset), [2, 3, 4, 5])
        try await consumer.close()
        await producer.close()
    }
}
