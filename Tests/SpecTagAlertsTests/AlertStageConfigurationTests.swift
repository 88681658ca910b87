@testable import SpecTagAlerts
import XCTest

final class AlertStageConfigurationTests: XCTestCase {
    func testGroupConsumerUsesStageTimeouts() throws {
        var stage = AlertStageConfiguration(bootstrapServers: ["127.0.0.1:9092"])
        stage.sessionTimeout = .seconds(6)
        stage.heartbeatInterval = .milliseconds(1500)

        let properties = try stage.consumerConfiguration().librdkafkaProperties()

        XCTAssertEqual(properties["session.timeout.ms"], "6000")
        XCTAssertEqual(properties["heartbeat.interval.ms"], "1500")
    }

    func testConsumerPropertiesOverrideStageTimeouts() throws {
        var stage = AlertStageConfiguration(bootstrapServers: ["127.0.0.1:9092"])
        stage.sessionTimeout = .seconds(6)
        stage.consumerProperties["session.timeout.ms"] = "9000"

        let properties = try stage.consumerConfiguration().librdkafkaProperties()

        XCTAssertEqual(properties["session.timeout.ms"], "9000")
    }
}
