import CRdKafka
import Foundation
@testable import SpecTagKafka
import SpecTagLocalProcess
import SpecTagLogging
import SpecTagMetrics
import SpecTagStreaming
import XCTest

/// The service against librdkafka's in-process mock cluster, which can fail requests that a
/// real broker would accept.
final class ServiceMockClusterTests: XCTestCase {
    func testFailedDeadLetterKeepsOffsetUncommitted() async throws {
        // A mock cluster lives as long as the producer that created it.
        var clusterConfiguration = KafkaProducerConfiguration(bootstrapServers: [])
        clusterConfiguration.additionalProperties = ["test.mock.num.brokers": "1"]
        let clusterOwner = try KafkaProducer(configuration: clusterConfiguration)
        let cluster = try XCTUnwrap(rd_kafka_handle_mock_cluster(clusterOwner.handle.pointer), "no mock cluster")
        let bootstrap = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        for topic in ["news", "news.tagged", "news.entity-sentiment", "news.dead-letter"] {
            XCTAssertEqual(rd_kafka_mock_topic_create(cluster, topic, 1, 1), RD_KAFKA_RESP_ERR_NO_ERROR)
        }
        _ = try await withDeadline(seconds: 20, waitingFor: "the invalid input message") {
            try await clusterOwner.send(topic: "news", key: Data("bad".utf8), value: Data("not json".utf8))
        }

        // Every Produce request fails until the pushed errors run out; the only record the
        // service produces is the dead letter of the invalid message.
        let failures = [rd_kafka_resp_err_t](repeating: RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, count: 6)
        failures.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, 0, buffer.count, buffer.baseAddress)
        }
        var configuration = ServiceConfiguration()
        configuration.brokers = [bootstrap]
        configuration.groupID = "mock-taggers"
        configuration.role = .tagger
        configuration.createTopics = false
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .seconds(1)
        configuration.commitInterval = .milliseconds(100)
        configuration.retryBackoff = .milliseconds(300)
        configuration.retryBackoffMax = .milliseconds(600)
        let logs = RecordingLogHandler()
        let registry = MetricsRegistry()
        let service = try StreamingService(
            configuration: configuration,
            tagger: ServiceTestCase.loadTinyTagger(),
            metrics: ServiceMetrics(registry: registry),
            readiness: ReadinessFlag(),
            logger: Logger(label: "spectag.serve", handler: logs, level: .debug)
        )
        let running = Task { try await service.run() }
        let reader = try KafkaConsumer(configuration: KafkaConsumerConfiguration(bootstrapServers: [bootstrap], groupID: "mock-taggers"))
        let partition = KafkaTopicPartition(topic: "news", partition: 0)

        let firstRetry = try await withDeadline(seconds: 30, waitingFor: "a failed dead-letter delivery") {
            while true {
                if let entry = logs.entries.first(where: { $0.message == "delivery failed; retrying" }) { return entry }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let committedWhileFailing = try await reader.committed([partition])
        let committedAfterRetries = try await withDeadline(seconds: 30, waitingFor: "the commit after the retries") {
            while true {
                let committed = try await reader.committed([partition])
                if !committed.isEmpty { return committed }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        service.shutdown.request()
        try await running.value

        XCTAssertEqual(firstRetry.metadata["topics"], .string("news.dead-letter"))
        XCTAssertEqual(committedWhileFailing, [:], "the offset was committed before the dead letter was delivered")
        XCTAssertEqual(committedAfterRetries, [partition: 1])
        XCTAssertTrue(logs.messages.contains("delivery succeeded after retries"), "\(logs.messages)")
        XCTAssertTrue(registry.render().contains("spectag_dead_letters_total{reason=\"invalid_json\"} 1"))
        try await reader.close()
        await clusterOwner.close()
    }
}
