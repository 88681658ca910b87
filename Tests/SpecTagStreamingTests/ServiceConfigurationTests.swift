import Foundation
import SpecTagAlerts
import SpecTagKafka
@testable import SpecTagStreaming
import XCTest

final class ServiceConfigurationTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("spectag-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func writeFile(_ name: String, _ contents: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    private func loadError(
        configFile: String? = nil,
        environment: [String: String] = [:],
        flags: [String: String] = [:],
        kafkaPropertyFlags: [String] = []
    ) -> ServiceConfigurationError? {
        do {
            _ = try ServiceConfigurationLoader.load(
                configFile: configFile, environment: environment, flags: flags, kafkaPropertyFlags: kafkaPropertyFlags
            )
            return nil
        } catch let error as ServiceConfigurationError {
            return error
        } catch {
            XCTFail("unexpected error type: \(error)")
            return nil
        }
    }

    // MARK: Precedence

    func testDefaultsApplyWithoutSources() throws {
        let configuration = try ServiceConfigurationLoader.load()

        XCTAssertEqual(configuration, ServiceConfiguration())
        XCTAssertEqual(configuration.maxBatchMessages, 32)
        XCTAssertEqual(configuration.maxBatchWait, .milliseconds(20))
        XCTAssertEqual(configuration.maxMessageBytes, 1_048_576)
        XCTAssertEqual(configuration.metricsAddress, "127.0.0.1:9464")
        XCTAssertEqual(configuration.guarantee, .atLeastOnce)
        XCTAssertEqual(configuration.inputTopic, "news")
    }

    func testFileThenEnvironmentThenFlagsWin() throws {
        let file = try writeFile("config.json", """
            {"max_batch_messages": 8, "max_batch_wait_ms": 50, "group_id": "from-file", "input_topic": "file-news"}
            """)
        let environment = [
            "SPECTAG_MAX_BATCH_WAIT_MS": "70",
            "SPECTAG_GROUP_ID": "from-env",
        ]
        let flags = ["group_id": "from-flag"]

        let configuration = try ServiceConfigurationLoader.load(configFile: file, environment: environment, flags: flags)

        XCTAssertEqual(configuration.inputTopic, "file-news")
        XCTAssertEqual(configuration.maxBatchMessages, 8)
        XCTAssertEqual(configuration.maxBatchWait, .milliseconds(70))
        XCTAssertEqual(configuration.groupID, "from-flag")
    }

    func testConfigFileComesFromEnvironmentWhenNoFlag() throws {
        let file = try writeFile("env.json", #"{"guarantee": "exactly_once"}"#)

        let configuration = try ServiceConfigurationLoader.load(environment: ["SPECTAG_CONFIG": file])

        XCTAssertEqual(configuration.guarantee, .exactlyOnce)
    }

    func testFileAcceptsBrokerArrayNumbersAndBooleans() throws {
        let file = try writeFile("types.json", """
            {"brokers": ["a:9092", "b:9092"], "create_topics": false, "topic_replication_factor": 1,
             "transactional_id": "tagger-1", "model": null}
            """)

        let configuration = try ServiceConfigurationLoader.load(configFile: file)

        XCTAssertEqual(configuration.brokers, ["a:9092", "b:9092"])
        XCTAssertFalse(configuration.createTopics)
        XCTAssertEqual(configuration.topicReplicationFactor, 1)
        XCTAssertEqual(configuration.effectiveTransactionalID, "tagger-1")
        XCTAssertNil(configuration.modelPath)
    }

    func testKafkaPropertiesStackInOrder() throws {
        let properties = try writeFile("client.properties", "security.protocol=SASL_SSL\nsasl.username=file\nlinger.ms=1\n")
        let file = try writeFile("kafka.json", """
            {"client_properties": "\(properties)", "kafka_properties": {"sasl.username": "json", "socket.timeout.ms": 1000}}
            """)
        let environment = ["SPECTAG_KAFKA_PROPERTIES": "socket.timeout.ms=2000;acks=all"]

        let configuration = try ServiceConfigurationLoader.load(
            configFile: file, environment: environment, kafkaPropertyFlags: ["acks=1"]
        )
        let overrides = try configuration.librdkafkaOverrides()

        XCTAssertEqual(overrides["security.protocol"], "SASL_SSL")
        XCTAssertEqual(overrides["linger.ms"], "1")
        XCTAssertEqual(overrides["sasl.username"], "json")
        XCTAssertEqual(overrides["socket.timeout.ms"], "2000")
        XCTAssertEqual(overrides["acks"], "1")
        XCTAssertEqual(try configuration.producerConfiguration().librdkafkaProperties()["acks"], "1")
    }

    func testConsumerSettingsFollowGuarantee() throws {
        var configuration = try ServiceConfigurationLoader.load(flags: ["session_timeout_ms": "6000", "heartbeat_interval_ms": "500"])
        let atLeastOnce = try configuration.consumerConfiguration()
        configuration.guarantee = .exactlyOnce
        configuration.transactionalID = "t-1"
        let exactlyOnce = try configuration.consumerConfiguration()

        XCTAssertEqual(atLeastOnce.sessionTimeout, .seconds(6))
        XCTAssertEqual(atLeastOnce.heartbeatInterval, .milliseconds(500))
        XCTAssertTrue(atLeastOnce.commitStoredOffsetsOnRevoke)
        XCTAssertFalse(exactlyOnce.commitStoredOffsetsOnRevoke)
        XCTAssertEqual(exactlyOnce.isolationLevel, .readCommitted)
        XCTAssertEqual(try configuration.producerConfiguration().transactionalID, "t-1")
    }

    func testAlertStageUsesServiceTopics() throws {
        let file = try writeFile("alerts.json", """
            {"entity_sentiment_topic": "es", "alerts_topic": "al", "alerts": {"window": "10m", "slide": "1m"}}
            """)

        let configuration = try ServiceConfigurationLoader.load(configFile: file)
        let stage = try configuration.alertStageConfiguration()

        XCTAssertEqual(stage.alerts.topics.entitySentiment, "es")
        XCTAssertEqual(stage.alerts.topics.alerts, "al")
        XCTAssertEqual(stage.alerts.topics.changelog, "news.alerts.changelog")
        XCTAssertEqual(stage.alerts.window, .minutes(10))
        XCTAssertEqual(configuration.alerts.window, .minutes(10))
    }

    func testAlertStageUsesServiceGroupTimeouts() throws {
        var configuration = ServiceConfiguration()
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .seconds(2)

        let stage = try configuration.alertStageConfiguration()

        XCTAssertEqual(stage.sessionTimeout, .seconds(6))
        XCTAssertEqual(stage.heartbeatInterval, .seconds(2))
    }

    // MARK: Errors

    func testUnknownFileKeyIsRejected() throws {
        let file = try writeFile("typo.json", #"{"max_batch_mesages": 8}"#)

        let error = loadError(configFile: file)

        XCTAssertEqual(error?.source, "\(file): max_batch_mesages")
        XCTAssertTrue(error?.problem.hasPrefix("unknown setting") ?? false, error?.description ?? "")
    }

    func testInvalidValuesNameTheirSource() throws {
        let file = try writeFile("bad.json", #"{"max_batch_messages": "many"}"#)

        XCTAssertEqual(loadError(configFile: file)?.description, "\(file): max_batch_messages: 'many' is not an integer")
        XCTAssertEqual(
            loadError(environment: ["SPECTAG_MAX_BATCH_WAIT_MS": "-5"])?.description,
            "SPECTAG_MAX_BATCH_WAIT_MS: -5 is out of range; expected 0 to 60000"
        )
        XCTAssertEqual(
            loadError(flags: ["guarantee": "twice"])?.description,
            "--guarantee: 'twice' is not one of at_least_once, exactly_once"
        )
        XCTAssertEqual(loadError(flags: ["create_topics": "maybe"])?.source, "--create-topics")
        XCTAssertEqual(loadError(flags: ["topic_replication_factor": "0"])?.source, "--topic-replication-factor")
    }

    func testMissingOrMalformedFileIsReported() throws {
        let missing = directory.appendingPathComponent("absent.json").path
        let malformed = try writeFile("malformed.json", "{")
        let array = try writeFile("array.json", "[]")

        XCTAssertTrue(loadError(configFile: missing)?.problem.hasPrefix("the configuration file cannot be read") ?? false)
        XCTAssertEqual(loadError(configFile: malformed)?.problem, "the configuration file is not valid JSON")
        XCTAssertEqual(loadError(configFile: array)?.problem, "the configuration file must contain a JSON object, got array")
    }

    func testHeartbeatMustBeBelowSessionTimeout() {
        let error = loadError(flags: ["session_timeout_ms": "3000", "heartbeat_interval_ms": "3000"])

        XCTAssertEqual(error?.source, "heartbeat_interval_ms")
    }

    func testTopicsMustBeValidAndDistinct() {
        XCTAssertEqual(loadError(flags: ["tagged_topic": "news"])?.source, "tagged_topic")
        XCTAssertEqual(loadError(flags: ["dead_letter_topic": "bad topic"])?.source, "dead_letter_topic")
        XCTAssertEqual(loadError(flags: ["input_topic": ".."])?.source, "input_topic")
    }

    func testMetricsAddressMustParse() {
        XCTAssertEqual(loadError(flags: ["metrics_address": "localhost"])?.source, "metrics_address")
    }

    func testMalformedKafkaPropertyIsRejected() {
        XCTAssertEqual(loadError(kafkaPropertyFlags: ["no-equals-sign"])?.source, "-X")
        XCTAssertEqual(loadError(environment: ["SPECTAG_KAFKA_PROPERTIES": "=value"])?.source, "SPECTAG_KAFKA_PROPERTIES")
    }

    func testUnreadableClientPropertiesIsRejected() {
        let error = loadError(flags: ["client_properties": directory.appendingPathComponent("none.properties").path])

        XCTAssertEqual(error?.source, "client_properties")
    }

    func testAlertTopicsInsideAlertsObjectAreRejected() throws {
        let file = try writeFile("alert-topics.json", #"{"alerts": {"topics": {"alerts": "x"}}}"#)

        XCTAssertEqual(loadError(configFile: file)?.source, "\(file): alerts.topics")
    }

    func testInvalidAlertSettingIsRejected() throws {
        let file = try writeFile("alert-window.json", #"{"alerts": {"window": "often"}}"#)

        XCTAssertEqual(loadError(configFile: file)?.source, "\(file): alerts")
    }

    // MARK: Documentation

    func testEverySettingIsDocumented() throws {
        let docs = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)

        for setting in ServiceSettings.all {
            XCTAssertTrue(text.contains("`\(setting.key)`"), "docs/configuration.md does not list \(setting.key)")
            XCTAssertTrue(text.contains(setting.environmentVariable), "docs/configuration.md does not list \(setting.environmentVariable)")
            XCTAssertTrue(text.contains("--\(setting.flag)"), "docs/configuration.md does not list --\(setting.flag)")
        }
        XCTAssertTrue(text.contains("`kafka_properties`"))
        XCTAssertTrue(text.contains("SPECTAG_KAFKA_PROPERTIES"))
    }
}
