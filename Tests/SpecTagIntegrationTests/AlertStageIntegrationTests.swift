import Foundation
import SpecTagAlerts
import SpecTagKafka
import SpecTagLocalProcess
import SpecTagMetrics
import XCTest

/// The alert stage against a Tansu broker, fed with crafted entity-sentiment records.
final class AlertStageIntegrationTests: TansuTestCase {
    /// 2026-12-04T20:00:00Z.
    private let baseTime: Int64 = 1_796_414_400_000

    private struct Topics {
        let input: String
        let alerts: String
        let changelog: String
        let deadLetter: String
    }

    private func makeTopics() async throws -> Topics {
        let topics = Topics(
            input: uniqueName("entity-sentiment"),
            alerts: uniqueName("alerts"),
            changelog: uniqueName("alerts-changelog"),
            deadLetter: uniqueName("dead-letter")
        )
        try await createTopic(topics.input, partitions: 2)
        return topics
    }

    private func makeStage(
        _ topics: Topics,
        group: String,
        registry: MetricsRegistry,
        configure: (inout AlertConfiguration) -> Void = { _ in }
    ) throws -> AlertStage {
        var alerts = AlertConfiguration()
        alerts.topics.entitySentiment = topics.input
        alerts.topics.alerts = topics.alerts
        alerts.topics.changelog = topics.changelog
        alerts.topics.deadLetter = topics.deadLetter
        alerts.groupID = group
        alerts.commitInterval = AlertDuration(milliseconds: 200)
        configure(&alerts)
        var configuration = AlertStageConfiguration(bootstrapServers: bootstrapServers, alerts: alerts)
        // Tansu delays a group join by about half the session timeout.
        configuration.consumerProperties = ["session.timeout.ms": "2000", "heartbeat.interval.ms": "500"]
        configuration.replicationFactor = 1
        return try AlertStage(configuration: configuration, metrics: registry)
    }

    // MARK: Records

    private func record(_ entity: String, second: Int64, _ sentiment: SentimentLabel, id: String) -> EntitySentimentRecord {
        let score: Double = sentiment == .negative ? -0.8 : 0
        let time = baseTime + second * 1000
        return EntitySentimentRecord(
            entity: entity, entityType: "ORG", messageID: id, headline: "\(entity) headline \(id)",
            sentiment: sentiment, sentimentScore: score, publishedAt: time, processedAt: time + 500,
            source: "test", tickers: []
        )
    }

    private func send(_ records: [EntitySentimentRecord], to topic: String, producer: KafkaProducer) async throws {
        for record in records {
            let value = try record.encodedJSON()
            _ = try await withDeadline(seconds: 30, waitingFor: "delivery of \(record.messageID)") {
                try await producer.send(topic: topic, key: Data(record.entityKey.utf8), value: value)
            }
        }
    }

    private func negativeBurst(_ range: Range<Int>) -> [EntitySentimentRecord] {
        range.map { record("Apple Inc.", second: Int64($0) * 10, .negative, id: "apple-\($0)") }
    }

    // MARK: Running a stage

    private final class RunningStage: @unchecked Sendable {
        let stage: AlertStage
        let registry: MetricsRegistry
        let task: Task<Void, any Error>

        init(_ stage: AlertStage, registry: MetricsRegistry) {
            self.stage = stage
            self.registry = registry
            self.task = Task { try await stage.run() }
        }

        /// Returns the value of a metric without labels, or of one labelled child, from the
        /// rendered exposition text.
        func metric(_ name: String) -> Double {
            for line in registry.render().split(separator: "\n") where line.hasPrefix(name + " ") {
                return Double(line.split(separator: " ").last ?? "") ?? .nan
            }
            return 0
        }

        func waitUntilProcessed(_ count: Int, seconds: Double = 60) async throws {
            try await withDeadline(seconds: seconds, waitingFor: "\(count) processed records") { [self] in
                while metric("spectag_alert_records_processed_total") < Double(count) {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        }

        func stop() async throws {
            stage.shutdown()
            try await withDeadline(seconds: 30, waitingFor: "the alert stage to stop") { [task] in
                try await task.value
            }
        }
    }

    private func start(_ stage: AlertStage, registry: MetricsRegistry) -> RunningStage {
        RunningStage(stage, registry: registry)
    }

    /// Reads every alert on `topic`, polling for `seconds`.
    private func readAlerts(from topic: String, seconds: Double = 4) async throws -> [(key: String, alert: AlertRecord)] {
        let consumer = try makeConsumer(group: uniqueName("alert-reader"))
        try consumer.subscribe(topics: [topic])
        let messages = try await drain(consumer, seconds: seconds)
        try await consumer.close()
        return try messages.map { message in
            let value = try XCTUnwrap(message.value, "alert with null value")
            return (String(decoding: message.key ?? Data(), as: UTF8.self), try AlertRecord.decode(from: value))
        }
    }

    // MARK: Tests

    func testNegativeBurstAlertsOnceAndNeutralStreamNever() async throws {
        let topics = try await makeTopics()
        let producer = try makeProducer()
        let neutral = (0..<30).map { record("Siemens AG", second: Int64($0) * 300, .neutral, id: "siemens-\($0)") }
        try await send(negativeBurst(0..<8) + neutral, to: topics.input, producer: producer)
        let registry = MetricsRegistry()
        let running = start(try makeStage(topics, group: uniqueName("alerting"), registry: registry), registry: registry)

        try await running.waitUntilProcessed(38)
        let alerts = try await readAlerts(from: topics.alerts)
        try await running.stop()

        XCTAssertEqual(alerts.count, 1, "alerts: \(alerts.map(\.alert.summary))")
        let alert = try XCTUnwrap(alerts.first)
        XCTAssertEqual(alert.key, "apple")
        XCTAssertEqual(alert.alert.rule, .negativeShare)
        XCTAssertEqual(alert.alert.entityKey, "apple")
        XCTAssertEqual(alert.alert.window.mentions, 5)
        XCTAssertEqual(alert.alert.triggers.count, 5)
        XCTAssertEqual(alert.alert.alertID, AlertIdentifier.make(entityKey: "apple", rule: .negativeShare, windowStart: alert.alert.window.start))
        XCTAssertEqual(running.metric(#"spectag_alerts_total{rule="negative_share"}"#), 1)
        XCTAssertEqual(running.metric(#"spectag_alert_suppressed_total{rule="negative_share"}"#), 3)
        XCTAssertEqual(running.metric("spectag_alert_entities_tracked"), 0, "the gauge is reset when the stage stops")
        await producer.close()
    }

    func testRestartNeitherLosesNorRepeatsAlert() async throws {
        let topics = try await makeTopics()
        let group = uniqueName("restarting")
        let producer = try makeProducer()
        let onlyNegativeShare: (inout AlertConfiguration) -> Void = { configuration in
            configuration.rules.volumeSpike.enabled = false
            configuration.rules.sentimentSwing.enabled = false
        }

        // Stage 1 counts 3 mentions, below min_mentions 5, and stops.
        try await send(negativeBurst(0..<3), to: topics.input, producer: producer)
        let firstRegistry = MetricsRegistry()
        let first = start(try makeStage(topics, group: group, registry: firstRegistry, configure: onlyNegativeShare), registry: firstRegistry)
        try await first.waitUntilProcessed(3)
        try await first.stop()

        // Stage 2 restores the 3 mentions, so the 2nd of its 4 records is the 5th mention.
        try await send(negativeBurst(3..<7), to: topics.input, producer: producer)
        let secondRegistry = MetricsRegistry()
        let second = start(try makeStage(topics, group: group, registry: secondRegistry, configure: onlyNegativeShare), registry: secondRegistry)
        try await second.waitUntilProcessed(4)
        try await second.stop()

        // Stage 3 restores the cooldown, so 5 more negative mentions alert no more.
        try await send(negativeBurst(7..<12), to: topics.input, producer: producer)
        let thirdRegistry = MetricsRegistry()
        let third = start(try makeStage(topics, group: group, registry: thirdRegistry, configure: onlyNegativeShare), registry: thirdRegistry)
        try await third.waitUntilProcessed(5)
        let alerts = try await readAlerts(from: topics.alerts)
        try await third.stop()

        XCTAssertEqual(first.metric("spectag_alert_records_processed_total"), 3)
        XCTAssertEqual(second.metric("spectag_alert_records_processed_total"), 4, "stage 2 read records stage 1 had committed")
        XCTAssertEqual(second.metric("spectag_alert_restored_entities_total"), 1)
        XCTAssertEqual(second.metric(#"spectag_alerts_total{rule="negative_share"}"#), 1)
        XCTAssertEqual(third.metric(#"spectag_alerts_total{rule="negative_share"}"#), 0)
        XCTAssertEqual(third.metric(#"spectag_alert_suppressed_total{rule="negative_share"}"#), 5)
        XCTAssertEqual(alerts.count, 1, "alerts: \(alerts.map(\.alert.summary))")
        XCTAssertEqual(alerts.first?.alert.window.mentions, 5)
        XCTAssertEqual(alerts.first?.alert.triggers.map(\.messageID), ["apple-4", "apple-3", "apple-2", "apple-1", "apple-0"])
        await producer.close()
    }

    func testRewoundOffsetsAreNotCountedTwice() async throws {
        let topics = try await makeTopics()
        let group = uniqueName("rewinding")
        let producer = try makeProducer()
        try await send(negativeBurst(0..<7), to: topics.input, producer: producer)
        let firstRegistry = MetricsRegistry()
        let first = start(try makeStage(topics, group: group, registry: firstRegistry), registry: firstRegistry)
        try await first.waitUntilProcessed(7)
        try await first.stop()

        // Rewinding the group's offsets makes the next stage read all 7 records again, as
        // after a crash between the changelog write and the offset commit.
        let rewinder = try makeConsumer(group: group)
        let partitions = (0..<2).map { KafkaTopicPartition(topic: topics.input, partition: $0) }
        try await rewinder.commit(offsets: Dictionary(uniqueKeysWithValues: partitions.map { ($0, Int64(0)) }))
        try await rewinder.close()
        let secondRegistry = MetricsRegistry()
        let second = start(try makeStage(topics, group: group, registry: secondRegistry), registry: secondRegistry)
        try await second.waitUntilProcessed(7)
        let alerts = try await readAlerts(from: topics.alerts)
        try await second.stop()

        XCTAssertEqual(second.metric("spectag_alert_replayed_records_total"), 7)
        XCTAssertEqual(second.metric(#"spectag_alerts_total{rule="negative_share"}"#), 0)
        XCTAssertEqual(alerts.count, 1, "alerts: \(alerts.map(\.alert.summary))")
    }

    func testInvalidRecordGoesToDeadLetterTopic() async throws {
        let topics = try await makeTopics()
        let producer = try makeProducer()
        _ = try await producer.send(topic: topics.input, key: Data("apple".utf8), value: Data(#"{"schema":"wrong"}"#.utf8))
        let registry = MetricsRegistry()
        let running = start(try makeStage(topics, group: uniqueName("dead-letters"), registry: registry), registry: registry)

        try await running.waitUntilProcessed(1)
        let reader = try makeConsumer(group: uniqueName("dead-letter-reader"))
        try reader.subscribe(topics: [topics.deadLetter])
        let deadLetters = try await consume(1, from: reader)
        try await reader.close()
        try await running.stop()

        XCTAssertEqual(running.metric("spectag_alert_invalid_records_total"), 1)
        XCTAssertEqual(deadLetters.first?.value, Data(#"{"schema":"wrong"}"#.utf8))
        let errorHeader = deadLetters.first?.headers.first { $0.name == "spectag.error" }?.value
        let error = String(decoding: errorHeader ?? Data(), as: UTF8.self)
        XCTAssertTrue(error.contains("schema"), error)
        await producer.close()
    }

    func testMissingInputTopicFailsWithClearError() async throws {
        var topics = try await makeTopics()
        topics = Topics(input: uniqueName("missing"), alerts: topics.alerts, changelog: topics.changelog, deadLetter: topics.deadLetter)
        let stage = try makeStage(topics, group: uniqueName("missing-input"), registry: MetricsRegistry())

        do {
            try await stage.run()
            XCTFail("run() returned without the input topic")
        } catch let error as AlertStageError {
            XCTAssertTrue(error.description.contains(topics.input), error.description)
        }
    }
}
