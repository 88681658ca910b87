import CRdKafka
import Foundation
@testable import SpecTagKafka
import SpecTagLocalProcess
import XCTest

final class MockClusterProducerTests: XCTestCase {
    func testSendReturnsDeliveryReport() async throws {
        let mock = try MockCluster()
        try mock.createTopic("reports", partitions: 2)

        let report = try await withDeadline(seconds: 20, waitingFor: "delivery report") {
            try await mock.producer.send(topic: "reports", key: Data("k".utf8), value: Data("v".utf8), partition: 1)
        }

        XCTAssertEqual(report.topic, "reports")
        XCTAssertEqual(report.partition, 1)
        XCTAssertEqual(report.offset, 0)
        await mock.producer.close()
    }

    func testProducerRetriesRetriableProduceErrors() async throws {
        let mock = try MockCluster(properties: ["retry.backoff.ms": "10"])
        try mock.createTopic("retried")
        mock.failNextProduceRequests(with: [
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
        ])

        let report = try await withDeadline(seconds: 20, waitingFor: "delivery report after retries") {
            try await mock.producer.send(topic: "retried", value: Data("after retries".utf8))
        }

        XCTAssertEqual(report.offset, 0)
        await mock.producer.close()
    }

    /// Shows that the injected error reaches the producer: without retries it surfaces.
    func testRetriableProduceErrorSurfacesWithoutRetries() async throws {
        let mock = try MockCluster(enableIdempotence: false, properties: ["retries": "0"])
        try mock.createTopic("unretried")
        mock.failNextProduceRequests(with: [RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS])

        do {
            let report = try await withDeadline(seconds: 20, waitingFor: "failed delivery report") {
                try await mock.producer.send(topic: "unretried", value: Data("lost".utf8))
            }
            XCTFail("expected NOT_ENOUGH_REPLICAS, got a delivery at offset \(report.offset)")
        } catch let error as KafkaError {
            XCTAssertEqual(error.name, "NOT_ENOUGH_REPLICAS")
            XCTAssertTrue(error.operation.contains("unretried"), error.description)
        }
        await mock.producer.close()
    }

    func testNonRetriableProduceErrorThrowsKafkaError() async throws {
        let mock = try MockCluster()
        try mock.createTopic("forbidden")
        mock.failNextProduceRequests(with: [RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED])

        do {
            let report = try await withDeadline(seconds: 20, waitingFor: "failed delivery report") {
                try await mock.producer.send(topic: "forbidden", value: Data("denied".utf8))
            }
            XCTFail("expected TOPIC_AUTHORIZATION_FAILED, got a delivery at offset \(report.offset)")
        } catch let error as KafkaError {
            XCTAssertEqual(error.name, "TOPIC_AUTHORIZATION_FAILED")
            XCTAssertEqual(error.code, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED.rawValue)
            XCTAssertEqual(error.operation, "deliver message to topic \"forbidden\"")
            XCTAssertFalse(error.isRetriable)
        }
        await mock.producer.close()
    }

    func testSendAfterCloseThrowsClosedError() async throws {
        let mock = try MockCluster()
        await mock.producer.close()

        do {
            _ = try await mock.producer.send(topic: "closed", value: Data())
            XCTFail("expected a closed-client error")
        } catch let error as KafkaError {
            XCTAssertEqual(error.name, "_STATE")
            XCTAssertTrue(error.reason.contains("closed"), error.description)
        }
    }

    func testSendToMissingPartitionThrows() async throws {
        let mock = try MockCluster()
        try mock.createTopic("narrow", partitions: 1)

        do {
            _ = try await withDeadline(seconds: 20, waitingFor: "failed send") {
                try await mock.producer.send(topic: "narrow", value: Data("x".utf8), partition: 7)
            }
            XCTFail("expected an unknown-partition error")
        } catch let error as KafkaError {
            XCTAssertEqual(error.name, "_UNKNOWN_PARTITION")
        }
        await mock.producer.close()
    }
}
