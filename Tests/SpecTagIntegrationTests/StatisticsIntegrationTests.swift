import Foundation
import SpecTagKafka
import XCTest

final class StatisticsIntegrationTests: TansuTestCase {
    func testStatisticsReportConsumerLag() async throws {
        let topic = uniqueName("lag")
        try await createTopic(topic)
        let producer = try makeProducer()
        _ = try await produce((0..<10).map { "news-\($0)" }, to: topic, producer: producer)
        let consumer = try makeConsumer(group: uniqueName("laggers")) { $0.statisticsInterval = .milliseconds(200) }
        let recorder = EventRecorder(consumer)
        try consumer.subscribe(topics: [topic])
        let partition = KafkaTopicPartition(topic: topic, partition: 0)

        let processed = try await consume(4, from: consumer)
        try consumer.pause([partition])
        for message in processed {
            try consumer.storeOffset(message)
        }
        try await consumer.commit()
        let poller = BackgroundPoller(consumer)
        let event = try await recorder.waitFor("statistics with consumer lag 6", seconds: 20) { event in
            if case .statistics(let statistics) = event {
                return statistics.consumerLag(topic: topic, partition: 0) == 6
            }
            return false
        }

        guard case .statistics(let statistics) = event else {
            return XCTFail("expected a statistics event, got \(event)")
        }
        let partitionStatistics = try XCTUnwrap(statistics.topics[topic]?[0])
        XCTAssertEqual(partitionStatistics.committedOffset, 4)
        XCTAssertEqual(partitionStatistics.consumerLag, 6)
        XCTAssertTrue(statistics.clientName.contains("consumer"), statistics.clientName)
        XCTAssertTrue(statistics.json.contains("\"consumer_lag\""))
        XCTAssertEqual(poller.messages.count, 0, "a paused partition delivered messages")
        await poller.stop()
        try await consumer.close()
        await producer.close()
    }
}
