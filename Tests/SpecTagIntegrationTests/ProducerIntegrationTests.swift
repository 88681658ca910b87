import Foundation
import SpecTagKafka
import SpecTagLocalProcess
import XCTest

final class ProducerIntegrationTests: TansuTestCase {
    func testIdempotentProducerDeliversEachMessageOnce() async throws {
        let topic = uniqueName("idempotent")
        try await createTopic(topic)
        let producer = try makeProducer { $0.enableIdempotence = true }
        let values = (0..<30).map { "value-\($0)" }

        let reports = try await withDeadline(seconds: 30, waitingFor: "30 concurrent deliveries") {
            try await withThrowingTaskGroup(of: KafkaDeliveryReport.self) { group in
                for value in values {
                    group.addTask {
                        try await producer.send(topic: topic, value: Data(value.utf8))
                    }
                }
                var collected: [KafkaDeliveryReport] = []
                for try await report in group {
                    collected.append(report)
                }
                return collected
            }
        }
        let consumer = try makeConsumer(group: uniqueName("readers"))
        try consumer.subscribe(topics: [topic])
        let messages = try await consume(values.count, from: consumer)
        let extra = try await drain(consumer, seconds: 1)

        XCTAssertEqual(reports.map(\.offset).sorted(), Array(0..<30))
        XCTAssertEqual(messages.map(\.offset), Array(0..<30))
        XCTAssertEqual(Set(messages.compactMap(\.value)), Set(values.map { Data($0.utf8) }))
        XCTAssertEqual(extra.count, 0)
        try await consumer.close()
        await producer.close()
    }

    func testCommittedTransactionIsVisibleToReadCommittedReader() async throws {
        let input = uniqueName("tx-input")
        let output = uniqueName("tx-output")
        let group = uniqueName("tx-taggers")
        try await createTopic(input)
        try await createTopic(output)
        let plainProducer = try makeProducer()
        _ = try await produce(["a", "b", "c"], to: input, producer: plainProducer)

        let inputConsumer = try makeConsumer(group: group)
        try inputConsumer.subscribe(topics: [input])
        let consumed = try await consume(3, from: inputConsumer)
        let transactional = try makeProducer { $0.transactionalID = self.uniqueName("tagger") }
        try await transactional.initTransactions()
        try transactional.beginTransaction()
        for message in consumed {
            let tagged = "tagged-" + String(decoding: message.value ?? Data(), as: UTF8.self)
            _ = try await transactional.send(topic: output, key: message.key, value: Data(tagged.utf8))
        }
        let inputPartition = KafkaTopicPartition(topic: input, partition: 0)
        let positions = try inputConsumer.position([inputPartition])
        try await transactional.sendOffsetsToTransaction(positions, groupMetadata: inputConsumer.groupMetadata())
        try await transactional.commitTransaction()

        let reader = try makeConsumer(group: uniqueName("tx-readers")) { $0.isolationLevel = .readCommitted }
        try reader.subscribe(topics: [output])
        let visible = try await consume(3, from: reader)
        let committed = try await inputConsumer.committed([inputPartition])

        XCTAssertEqual(positions, [inputPartition: 3])
        XCTAssertEqual(visible.compactMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }, [
            "tagged-a", "tagged-b", "tagged-c",
        ])
        XCTAssertEqual(committed, [inputPartition: 3])
        try await reader.close()
        try await inputConsumer.close()
        await transactional.close()
        await plainProducer.close()
    }

    func testTransactionCallWithoutTransactionalIDThrows() async throws {
        let producer = try makeProducer()

        do {
            try await producer.initTransactions(timeout: .seconds(5))
            XCTFail("expected an error for a producer without transactional.id")
        } catch let error as KafkaError {
            XCTAssertEqual(error.operation, "initialize transactions")
            XCTAssertEqual(error.name, "_NOT_CONFIGURED")
        }
        await producer.close()
    }

    func testFrozenBrokerDelaysDeliveryUntilThawed() async throws {
        let topic = uniqueName("frozen")
        try await createTopic(topic)
        let producer = try makeProducer()
        _ = try await produce(["warm-up"], to: topic, producer: producer)
        let broker = try XCTUnwrap(broker)

        broker.freeze()
        let pending = Task {
            try await producer.send(topic: topic, value: Data("during freeze".utf8))
        }
        try await Task.sleep(for: .seconds(1))
        let outstandingWhileFrozen = producer.outstandingMessageCount
        broker.thaw()
        let report = try await withDeadline(seconds: 30, waitingFor: "delivery after thaw") {
            try await pending.value
        }

        XCTAssertEqual(outstandingWhileFrozen, 1)
        XCTAssertEqual(report.offset, 1)
        await producer.close()
    }
}
