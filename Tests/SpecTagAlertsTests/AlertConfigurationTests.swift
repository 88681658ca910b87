import Foundation
import SpecTagAlerts
import XCTest

final class AlertConfigurationTests: XCTestCase {
    private func decode(_ json: String) throws -> AlertConfiguration {
        try AlertConfiguration.decode(from: Data(json.utf8), source: "test.json")
    }

    func testEmptyObjectGivesDocumentedDefaults() throws {
        let configuration = try decode("{}")

        XCTAssertEqual(configuration, AlertConfiguration())
        XCTAssertEqual(configuration.topics.entitySentiment, "news.entity-sentiment")
        XCTAssertEqual(configuration.topics.alerts, "news.alerts")
        XCTAssertEqual(configuration.topics.changelog, "news.alerts.changelog")
        XCTAssertEqual(configuration.topics.deadLetter, "news.dead-letter")
        XCTAssertEqual(configuration.window, .minutes(15))
        XCTAssertEqual(configuration.rules.negativeShare.threshold, 0.6)
        XCTAssertEqual(configuration.rules.negativeShare.minMentions, 5)
        XCTAssertEqual(configuration.rules.volumeSpike.factor, 3)
        XCTAssertEqual(configuration.rules.volumeSpike.baselineWindows, 24)
        XCTAssertEqual(configuration.rules.sentimentSwing.delta, 0.5)
        XCTAssertEqual(configuration.rules.cooldown(of: .sentimentSwing), .minutes(30))
    }

    func testPartialRuleKeepsOtherDefaults() throws {
        let configuration = try decode(#"{"rules": {"negative_share": {"threshold": 0.75}}, "window": 600}"#)

        XCTAssertEqual(configuration.rules.negativeShare.threshold, 0.75)
        XCTAssertEqual(configuration.rules.negativeShare.minMentions, 5)
        XCTAssertEqual(configuration.rules.volumeSpike, VolumeSpikeRule())
        XCTAssertEqual(configuration.window, .minutes(10))
    }

    func testDurationsAcceptNumbersAndUnits() throws {
        let configuration = try decode(#"{"slide": "30s", "allowed_lateness": "250ms", "window": "1h", "commit_interval": 2.5}"#)

        XCTAssertEqual(configuration.slide.milliseconds, 30_000)
        XCTAssertEqual(configuration.allowedLateness.milliseconds, 250)
        XCTAssertEqual(configuration.window.milliseconds, 3_600_000)
        XCTAssertEqual(configuration.commitInterval.milliseconds, 2500)
    }

    func testConfigurationRoundTripsThroughJSON() throws {
        var original = AlertConfiguration()
        original.topics.deadLetter = nil
        original.rules.volumeSpike.minBaseline = 2.5
        original.allowedLateness = AlertDuration(milliseconds: 1500)

        let decoded = try JSONDecoder().decode(AlertConfiguration.self, from: JSONEncoder().encode(original))

        XCTAssertEqual(decoded, original)
    }

    func testServiceConfigurationMemberIsRead() throws {
        let json = #"{"brokers": "127.0.0.1:9092", "alerts": {"group_id": "desk-alerts"}}"#

        XCTAssertEqual(try decode(json).groupID, "desk-alerts")
    }

    func testNullDeadLetterTurnsItOff() throws {
        XCTAssertNil(try decode(#"{"topics": {"dead_letter": null}}"#).topics.deadLetter)
    }

    func testUnknownKeyIsRejectedByName() {
        XCTAssertThrowsError(try decode(#"{"rules": {"negative_share": {"treshold": 0.7}}}"#)) { error in
            let configurationError = error as? AlertConfigurationError
            XCTAssertEqual(configurationError?.source, "test.json")
            XCTAssertEqual(configurationError?.setting, "rules.negative_share.treshold")
            XCTAssertTrue(configurationError?.problem.contains("threshold") ?? false, "\(error)")
        }
    }

    func testInvalidValuesAreRejectedWithSetting() {
        let cases: [(json: String, setting: String)] = [
            (#"{"window": "10m", "slide": "3m"}"#, "window"),
            (#"{"slide": 0}"#, "slide"),
            (#"{"rules": {"negative_share": {"threshold": 1.5}}}"#, "rules.negative_share.threshold"),
            (#"{"rules": {"volume_spike": {"factor": 0}}}"#, "rules.volume_spike.factor"),
            (#"{"rules": {"volume_spike": {"baseline_windows": 0}}}"#, "rules.volume_spike.baseline_windows"),
            (#"{"rules": {"sentiment_swing": {"delta": 0}}}"#, "rules.sentiment_swing.delta"),
            (#"{"rules": {"sentiment_swing": {"min_mentions": 0}}}"#, "rules.sentiment_swing.min_mentions"),
            (#"{"max_triggers": 1000}"#, "max_triggers"),
            (#"{"topics": {"alerts": "news.entity-sentiment"}}"#, "topics.entity_sentiment"),
            (#"{"window": "-5m"}"#, "window"),
            (#"{"window": "15 minutes"}"#, "window"),
        ]
        for testCase in cases {
            XCTAssertThrowsError(try decode(testCase.json), testCase.json) { error in
                XCTAssertEqual((error as? AlertConfigurationError)?.setting, testCase.setting, "\(testCase.json): \(error)")
            }
        }
    }

    func testAlertDurationDescriptionUsesLargestUnit() {
        XCTAssertEqual(AlertDuration.hours(2).description, "2h")
        XCTAssertEqual(AlertDuration.minutes(15).description, "15m")
        XCTAssertEqual(AlertDuration.seconds(90).description, "90s")
        XCTAssertEqual(AlertDuration(milliseconds: 250).description, "250ms")
        XCTAssertEqual(AlertDuration(milliseconds: 0).description, "0s")
    }
}
