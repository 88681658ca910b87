import CRdKafka
import Foundation
@testable import SpecTagKafka
import SpecTagLocalProcess
import XCTest

// MARK: - librdkafka mock cluster

/// librdkafka's in-process mock cluster, created by a producer with
/// `test.mock.num.brokers`, which lives as long as that producer.
///
/// It is `@unchecked Sendable` because the mock cluster functions lock internally.
struct MockCluster: @unchecked Sendable {
    /// Kafka protocol ApiKey of Produce requests.
    static let produceApiKey: Int16 = 0
    /// The id of the one broker of the mock cluster.
    static let brokerID: Int32 = 1

    let producer: KafkaProducer
    private let cluster: OpaquePointer

    /// Creates a producer that starts a one-broker mock cluster.
    ///
    /// - Parameter properties: extra producer properties, such as `retries`.
    init(
        enableIdempotence: Bool = true,
        properties: KafkaProperties = [:],
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: [])
        configuration.enableIdempotence = enableIdempotence
        configuration.deliveryTimeout = .seconds(20)
        configuration.additionalProperties = KafkaProperties(["test.mock.num.brokers": "1"]).merging(properties)
        producer = try KafkaProducer(configuration: configuration)
        cluster = try XCTUnwrap(
            rd_kafka_handle_mock_cluster(producer.handle.pointer),
            "the producer did not create a mock cluster",
            file: file,
            line: line
        )
    }

    /// `host:port` of the mock broker, for other clients.
    var bootstrapServers: String {
        String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    func createTopic(_ name: String, partitions: Int32 = 1) throws {
        let code = rd_kafka_mock_topic_create(cluster, name, partitions, 1)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: code, operation: "create mock topic \"\(name)\"")
        }
    }

    /// Delays every response of the mock broker by `milliseconds`, as a stuck coordinator would.
    /// A value of 0 ends the delay.
    func delayResponses(milliseconds: Int32) {
        _ = rd_kafka_mock_broker_set_rtt(cluster, Self.brokerID, milliseconds)
    }

    /// Makes the next `errors.count` Produce requests fail with these broker errors, in order.
    func failNextProduceRequests(with errors: [rd_kafka_resp_err_t]) {
        errors.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, Self.produceApiKey, buffer.count, buffer.baseAddress)
        }
    }
}

extension KafkaProperties {
    init(_ entries: [String: String]) {
        self.init()
        for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
            self[key] = value
        }
    }
}
