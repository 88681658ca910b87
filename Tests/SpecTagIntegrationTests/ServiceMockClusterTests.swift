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
    /// A mock cluster with the tagger's topics, one invalid input message, and a running
    /// service whose Produce requests fail `failedProduceRequests` times.
    private struct FailingProduceSetup {
        let clusterOwner: KafkaProducer
        let reader: KafkaConsumer
        let service: StreamingService
        let running: Task<Void, any Error>
        let logs: RecordingLogHandler
        let registry: MetricsRegistry
        let partition = KafkaTopicPartition(topic: "news", partition: 0)

        func close() async throws {
            try await reader.close()
            await clusterOwner.close()
        }
    }

    private func startServiceWithFailingProduce(
        failedProduceRequests: Int,
        configure: (inout ServiceConfiguration) -> Void = { _ in }
    ) async throws -> FailingProduceSetup {
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
        let failures = [rd_kafka_resp_err_t](repeating: RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, count: failedProduceRequests)
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
        configure(&configuration)
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
        return FailingProduceSetup(clusterOwner: clusterOwner, reader: reader, service: service, running: running, logs: logs, registry: registry)
    }

    func testFailedDeadLetterKeepsOffsetUncommitted() async throws {
        let setup = try await startServiceWithFailingProduce(failedProduceRequests: 6)
        let logs = setup.logs

        let firstRetry = try await withDeadline(seconds: 30, waitingFor: "a failed dead-letter delivery") {
            while true {
                if let entry = logs.entries.first(where: { $0.message == "delivery failed; retrying" }) { return entry }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let committedWhileFailing = try await setup.reader.committed([setup.partition])
        let committedAfterRetries = try await withDeadline(seconds: 30, waitingFor: "the commit after the retries") {
            while true {
                let committed = try await setup.reader.committed([setup.partition])
                if !committed.isEmpty { return committed }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        setup.service.shutdown.request()
        try await setup.running.value

        XCTAssertEqual(firstRetry.metadata["topics"], .string("news.dead-letter"))
        XCTAssertEqual(committedWhileFailing, [:], "the offset was committed before the dead letter was delivered")
        XCTAssertEqual(committedAfterRetries, [setup.partition: 1])
        XCTAssertTrue(logs.messages.contains("delivery succeeded after retries"), "\(logs.messages)")
        XCTAssertTrue(setup.registry.render().contains("spectag_dead_letters_total{reason=\"invalid_json\"} 1"))
        try await setup.close()
    }

    func testDeliveryGiveUpStopsService() async throws {
        try await checkDeliveryGiveUpStopsService(guarantee: .atLeastOnce)
    }

    func testDeliveryGiveUpStopsExactlyOnceService() async throws {
        try await checkDeliveryGiveUpStopsService(guarantee: .exactlyOnce)
    }

    private func checkDeliveryGiveUpStopsService(guarantee: ProcessingGuarantee) async throws {
        let setup = try await startServiceWithFailingProduce(failedProduceRequests: 10_000) { configuration in
            configuration.guarantee = guarantee
            configuration.deliveryGiveUp = .seconds(2)
            configuration.shutdownTimeout = .seconds(2)
        }

        let stopError: (any Error)? = try await withDeadline(seconds: 60, waitingFor: "the service to stop") {
            do {
                try await setup.running.value
                return nil
            } catch {
                return error
            }
        }
        let committed = try await setup.reader.committed([setup.partition])

        let description = try XCTUnwrap(stopError.map { "\($0)" }, "the service kept retrying")
        XCTAssertTrue(description.contains("outputs not delivered after"), description)
        XCTAssertTrue(description.contains("delivery_give_up_ms"), description)
        XCTAssertEqual(committed, [:], "the offset of the undelivered dead letter was committed")
        XCTAssertTrue(setup.logs.messages.contains("stopping after a fatal error"), "\(setup.logs.messages)")
        try await setup.close()
    }
}
