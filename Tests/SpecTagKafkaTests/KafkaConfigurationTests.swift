@testable import SpecTagKafka
import XCTest

final class KafkaConfigurationTests: XCTestCase {
    // MARK: Redaction

    func testDescriptionRedactsSecretValues() {
        let secrets: KafkaProperties = [
            "sasl.username": "news-reader",
            "sasl.password": "pw-1",
            "ssl.key.password": "pw-2",
            "ssl.keystore.password": "pw-3",
            "sasl.oauthbearer.client.secret": "pw-4",
            "ssl.key.pem": "-----BEGIN PRIVATE KEY-----",
            "sasl.oauthbearer.config": "clientSecret=pw-5",
        ]

        let description = secrets.description

        XCTAssertTrue(description.contains("sasl.username=news-reader"), description)
        for secret in ["pw-1", "pw-2", "pw-3", "pw-4", "pw-5", "BEGIN PRIVATE KEY"] {
            XCTAssertFalse(description.contains(secret), "\(secret) leaked: \(description)")
        }
        XCTAssertTrue(description.contains("sasl.password=[REDACTED]"), description)
        XCTAssertTrue(description.contains("ssl.keystore.password=[REDACTED]"), description)
    }

    func testIsSecretMatchesPasswordSecretAndTokenKeys() {
        XCTAssertTrue(KafkaProperties.isSecret(key: "sasl.password"))
        XCTAssertTrue(KafkaProperties.isSecret(key: "sasl.oauthbearer.client.secret"))
        XCTAssertTrue(KafkaProperties.isSecret(key: "custom.api.token"))
        XCTAssertFalse(KafkaProperties.isSecret(key: "bootstrap.servers"))
        XCTAssertFalse(KafkaProperties.isSecret(key: "ssl.key.location"))
    }

    func testConsumerConfigurationDescriptionRedactsPassThroughSecret() {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: ["broker:9092"], groupID: "taggers")
        configuration.additionalProperties["sasl.password"] = "hunter2"

        XCTAssertFalse(configuration.description.contains("hunter2"), configuration.description)
        XCTAssertTrue(configuration.description.contains("group.id=taggers"), configuration.description)
    }

    // MARK: Consumer properties

    func testConsumerPropertiesTurnOffAutomaticOffsetHandling() throws {
        let configuration = KafkaConsumerConfiguration(bootstrapServers: ["a:9092", "b:9092"], groupID: "taggers")

        let properties = try configuration.librdkafkaProperties()

        XCTAssertEqual(properties["bootstrap.servers"], "a:9092,b:9092")
        XCTAssertEqual(properties["enable.auto.commit"], "false")
        XCTAssertEqual(properties["enable.auto.offset.store"], "false")
        XCTAssertEqual(properties["isolation.level"], "read_committed")
        XCTAssertEqual(properties["session.timeout.ms"], "45000")
        XCTAssertNil(properties["statistics.interval.ms"])
    }

    func testConsumerPassThroughWinsOverTypedDefaults() throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: ["a:9092"], groupID: "taggers")
        configuration.sessionTimeout = .seconds(6)
        configuration.statisticsInterval = .milliseconds(500)
        configuration.additionalProperties = ["session.timeout.ms": "2000", "fetch.wait.max.ms": "50"]

        let properties = try configuration.librdkafkaProperties()

        XCTAssertEqual(properties["session.timeout.ms"], "2000")
        XCTAssertEqual(properties["fetch.wait.max.ms"], "50")
        XCTAssertEqual(properties["statistics.interval.ms"], "500")
    }

    func testConsumerRejectsAutomaticCommit() {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: ["a:9092"], groupID: "taggers")
        configuration.additionalProperties["enable.auto.commit"] = "true"

        XCTAssertThrowsError(try configuration.librdkafkaProperties()) { error in
            guard let error = error as? KafkaError else { return XCTFail("expected KafkaError, got \(error)") }
            XCTAssertEqual(error.name, "_INVALID_ARG")
            XCTAssertTrue(error.operation.contains("enable.auto.commit"), error.description)
        }
    }

    // MARK: Producer properties

    func testProducerDefaultsToIdempotenceWithAllAcks() {
        let properties = KafkaProducerConfiguration(bootstrapServers: ["a:9092"]).librdkafkaProperties()

        XCTAssertEqual(properties["enable.idempotence"], "true")
        XCTAssertEqual(properties["acks"], "all")
        XCTAssertNil(properties["transactional.id"])
    }

    func testProducerSetsTransactionTimeoutOnlyWithTransactionalID() {
        var configuration = KafkaProducerConfiguration(bootstrapServers: ["a:9092"])
        configuration.transactionalID = "tagger-0"
        configuration.transactionTimeout = .seconds(15)

        let properties = configuration.librdkafkaProperties()

        XCTAssertEqual(properties["transactional.id"], "tagger-0")
        XCTAssertEqual(properties["transaction.timeout.ms"], "15000")
    }

    // MARK: librdkafka validation

    func testUnknownPropertyThrowsLibrdkafkaMessageAndKey() {
        var configuration = KafkaProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.additionalProperties["no.such.property"] = "1"

        XCTAssertThrowsError(try KafkaProducer(configuration: configuration)) { error in
            guard let error = error as? KafkaError else { return XCTFail("expected KafkaError, got \(error)") }
            XCTAssertEqual(error.name, "_INVALID_ARG")
            XCTAssertEqual(error.operation, "set librdkafka property \"no.such.property\"")
            XCTAssertTrue(error.reason.contains("No such configuration property"), error.reason)
            XCTAssertEqual(error.kind, .permanent)
        }
    }

    func testInvalidValueThrowsLibrdkafkaMessage() {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: ["127.0.0.1:1"], groupID: "taggers")
        configuration.additionalProperties["auto.offset.reset"] = "sideways"

        XCTAssertThrowsError(try KafkaConsumer(configuration: configuration)) { error in
            guard let error = error as? KafkaError else { return XCTFail("expected KafkaError, got \(error)") }
            XCTAssertTrue(error.operation.contains("auto.offset.reset"), error.description)
            XCTAssertTrue(error.reason.contains("sideways"), error.reason)
        }
    }

    func testInvalidSecretValueIsRedactedInError() {
        // librdkafka quotes rejected values in its message; the error must not repeat a secret.
        let entry = KafkaProperties.Entry(key: "sasl.password", value: "hunter2")
        let reason = "Invalid value \"hunter2\" for configuration property \"sasl.password\""

        let error = invalidPropertyError(entry: entry, reason: reason)

        XCTAssertFalse(error.description.contains("hunter2"), error.description)
        XCTAssertTrue(error.reason.contains("[REDACTED]"), error.reason)
        XCTAssertEqual(error.operation, "set librdkafka property \"sasl.password\"")
    }

    func testIncompatibleCombinationThrowsCreationError() {
        var configuration = KafkaProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.acknowledgements = .leader

        XCTAssertThrowsError(try KafkaProducer(configuration: configuration)) { error in
            guard let error = error as? KafkaError else { return XCTFail("expected KafkaError, got \(error)") }
            XCTAssertEqual(error.operation, "create Kafka producer")
            XCTAssertTrue(error.reason.contains("acks"), error.reason)
        }
    }
}
