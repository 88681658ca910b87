import Foundation
import SpecTagAlerts
import XCTest

final class AlertEngineTests: XCTestCase {
    // MARK: Lateness

    func testRecordWithinLatenessIsCounted() throws {
        var engine = AlertEngine(configuration: configuration(enabling: []), clock: ManualClock())
        _ = engine.process(mention(at: baseTime + 10 * minute, .neutral))

        let fourMinutesLate = engine.process(mention(at: baseTime + 6 * minute, .negative))
        let exactlyAtLateness = engine.process(mention(at: baseTime + 5 * minute, .negative))

        XCTAssertFalse(fourMinutesLate.isLate)
        XCTAssertFalse(exactlyAtLateness.isLate, "a record exactly the allowed lateness behind is still counted")
        let state = try XCTUnwrap(engine.state(ofEntity: "apple"))
        XCTAssertEqual(state.buckets.map(\.start), [baseTime + 5 * minute, baseTime + 6 * minute, baseTime + 10 * minute])
        XCTAssertEqual(state.buckets.map(\.negative), [1, 1, 0])
        XCTAssertEqual(state.watermark, baseTime + 10 * minute, "a late record must not move the watermark back")
    }

    func testRecordBeyondLatenessIsDroppedAndReported() throws {
        var engine = AlertEngine(configuration: configuration(enabling: [.negativeShare]), clock: ManualClock())
        _ = engine.process(mention(at: baseTime + 10 * minute, .neutral))
        let before = try XCTUnwrap(engine.state(ofEntity: "apple"))

        let outcome = engine.process(mention(at: baseTime + 5 * minute - 1, .negative))

        XCTAssertEqual(outcome, .late(eventTime: baseTime + 5 * minute - 1, watermark: baseTime + 10 * minute))
        XCTAssertEqual(engine.state(ofEntity: "apple"), before, "a late record changed the state")
    }

    func testLateRecordsCannotTriggerAlerts() {
        var engine = AlertEngine(configuration: configuration(enabling: [.negativeShare]), clock: ManualClock())
        _ = engine.process(mention(at: baseTime + 60 * minute, .neutral))

        let outcomes = (0..<10).map { engine.process(mention(at: baseTime + Int64($0) * 1000, .negative)) }

        XCTAssertEqual(outcomes.filter(\.isLate).count, 10)
        XCTAssertEqual(outcomes.flatMap(\.alerts), [])
    }

    func testLatenessIsPerEntity() {
        var engine = AlertEngine(configuration: configuration(enabling: []), clock: ManualClock())
        _ = engine.process(mention("Apple", at: baseTime + 60 * minute, .neutral))

        let otherEntity = engine.process(mention("Nokia", at: baseTime, .neutral))

        XCTAssertFalse(otherEntity.isLate, "another entity's watermark made the record late")
    }

    // MARK: Event time

    func testMissingPublishedAtFallsBackToProcessedAt() throws {
        var engine = AlertEngine(configuration: configuration(enabling: []), clock: ManualClock())
        let record = mention(at: baseTime, .neutral, processedAt: baseTime + 7 * minute, publishedAtKnown: false)

        _ = engine.process(record)

        XCTAssertEqual(engine.eventTime(of: record), baseTime + 7 * minute)
        XCTAssertEqual(try XCTUnwrap(engine.state(ofEntity: "apple")).buckets.map(\.start), [baseTime + 7 * minute])
    }

    func testMissingBothTimesFallsBackToClock() throws {
        let clock = ManualClock()
        clock.set(milliseconds: baseTime + 42 * minute + 500)
        var engine = AlertEngine(configuration: configuration(enabling: []), clock: clock)
        var record = mention(at: baseTime, .neutral, publishedAtKnown: false)
        record.processedAt = nil

        _ = engine.process(record)

        XCTAssertEqual(try XCTUnwrap(engine.state(ofEntity: "apple")).buckets.map(\.start), [baseTime + 42 * minute])
        XCTAssertEqual(engine.state(ofEntity: "apple")?.watermark, baseTime + 42 * minute + 500)
    }

    func testFuturePublishedAtIsClampedToProcessingTime() {
        var engine = AlertEngine(configuration: configuration(enabling: []), clock: ManualClock())
        let record = mention(at: baseTime + 24 * 60 * minute, .neutral, processedAt: baseTime)

        _ = engine.process(record)
        let next = engine.process(mention(at: baseTime + 1000, .neutral))

        XCTAssertEqual(engine.eventTime(of: record), baseTime)
        XCTAssertFalse(next.isLate, "a published_at in the future moved the watermark")
    }

    // MARK: Alert ids

    func testAlertIdentifierIsFNV1aOfItsFields() {
        // Computed independently: FNV-1a 64 of "spectag.alert.v1\napple\nnegative_share\n1796414400000".
        XCTAssertEqual(AlertIdentifier.make(entityKey: "apple", rule: .negativeShare, windowStart: 1_796_414_400_000), "alert-4ff633810f618e5a")
    }

    func testAlertIdentifierDiffersByField() {
        let base = AlertIdentifier.make(entityKey: "apple", rule: .negativeShare, windowStart: baseTime)

        XCTAssertNotEqual(AlertIdentifier.make(entityKey: "nokia", rule: .negativeShare, windowStart: baseTime), base)
        XCTAssertNotEqual(AlertIdentifier.make(entityKey: "apple", rule: .volumeSpike, windowStart: baseTime), base)
        XCTAssertNotEqual(AlertIdentifier.make(entityKey: "apple", rule: .negativeShare, windowStart: baseTime + minute), base)
    }

    func testReplayedRecordsGiveSameAlertIds() {
        let records = (0..<12).map { mention(at: baseTime + Int64($0) * 20_000, $0 % 4 == 0 ? .neutral : .negative) }
        func alerts(clockOffset: Int64) -> [AlertRecord] {
            let clock = ManualClock()
            clock.set(milliseconds: baseTime + clockOffset)
            var engine = AlertEngine(configuration: AlertConfiguration(), clock: clock)
            return records.flatMap { engine.process($0).alerts }
        }

        let first = alerts(clockOffset: 0)
        let second = alerts(clockOffset: 3_600_000)

        XCTAssertFalse(first.isEmpty)
        XCTAssertEqual(first.map(\.alertID), second.map(\.alertID))
        XCTAssertNotEqual(first.map(\.createdAt), second.map(\.createdAt), "created_at comes from the clock")
    }

    // MARK: State snapshots

    func testStateSnapshotRoundTrip() throws {
        var engine = AlertEngine(configuration: AlertConfiguration(), clock: ManualClock())
        for index in 0..<8 {
            let label: SentimentLabel = index % 3 == 0 ? .positive : .negative
            _ = engine.process(mention(at: baseTime + Int64(index) * 90_000, label), at: RecordPosition(partition: 2, offset: Int64(index)))
        }
        let state = try XCTUnwrap(engine.state(ofEntity: "apple"))

        let json = try JSONEncoder().encode(state)
        let decoded = try JSONDecoder().decode(EntityWindowState.self, from: json)

        XCTAssertEqual(decoded, state)
        XCTAssertEqual(decoded.partition, 2)
        XCTAssertEqual(decoded.appliedOffset, 7)
        XCTAssertEqual(decoded.lastAlertWindowEnds.keys.sorted(), [.negativeShare])
        XCTAssertFalse(decoded.buckets.isEmpty)
        XCTAssertEqual(decoded.recentMentions.count, 8)
    }

    func testRestoredEngineContinuesLikeUninterruptedOne() throws {
        let records = (0..<12).map { mention(at: baseTime + Int64($0) * 30_000, .negative) }
        let positions = (0..<12).map { RecordPosition(partition: 0, offset: Int64($0)) }
        var uninterrupted = AlertEngine(configuration: AlertConfiguration(), clock: ManualClock())
        let expected = zip(records, positions).flatMap { uninterrupted.process($0, at: $1).alerts.map(\.alertID) }

        var first = AlertEngine(configuration: AlertConfiguration(), clock: ManualClock())
        var alertIDs = zip(records, positions).prefix(7).flatMap { first.process($0, at: $1).alerts.map(\.alertID) }
        let snapshot = try JSONEncoder().encode(XCTUnwrap(first.state(ofEntity: "apple")))
        var second = AlertEngine(configuration: AlertConfiguration(), clock: ManualClock())
        second.restore([try JSONDecoder().decode(EntityWindowState.self, from: snapshot)])
        // A restart reads from the last committed offset, here 4, so records 4 to 6 come again.
        let outcomes = zip(records, positions).dropFirst(4).map { second.process($0, at: $1) }
        alertIDs += outcomes.flatMap { $0.alerts.map(\.alertID) }

        XCTAssertEqual(outcomes.prefix(3), [.alreadyCounted, .alreadyCounted, .alreadyCounted])
        XCTAssertEqual(alertIDs, expected)
        XCTAssertEqual(expected.count, 2, "negative_share and volume_spike, once each")
    }

    func testSnapshotWithUnknownSchemaIsRejected() {
        let json = Data(#"{"schema":"spectag.alert_state.v0","entity_key":"apple","entity":"Apple","entity_type":"ORG","watermark":0,"buckets":[],"recent_mentions":[],"last_alert_window_ends":{}}"#.utf8)

        XCTAssertThrowsError(try JSONDecoder().decode(EntityWindowState.self, from: json)) { error in
            XCTAssertEqual((error as? InvalidRecordError)?.field, "schema")
        }
    }

    // MARK: Entity bookkeeping

    func testMentionsOfOneCompanyShareState() {
        var engine = AlertEngine(configuration: configuration(enabling: [.negativeShare]), clock: ManualClock())
        let names = ["Apple Inc.", "APPLE", "Apple's", "apple", "Apple Inc"]

        let outcomes = names.enumerated().map { index, name in
            engine.process(mention(name, at: baseTime + Int64(index) * 1000, .negative))
        }

        XCTAssertEqual(engine.entityCount, 1)
        XCTAssertEqual(outcomes[4].alerts.map(\.entityKey), ["apple"])
        XCTAssertEqual(outcomes[4].alerts.first?.entity, "Apple Inc", "the alert shows the newest mention text")
    }

    func testOldBucketsArePruned() throws {
        var engine = AlertEngine(configuration: configuration(enabling: []), clock: ManualClock())
        _ = engine.process(mention(at: baseTime, .neutral))

        _ = engine.process(mention(at: baseTime + 24 * 60 * minute, .neutral))

        XCTAssertEqual(try XCTUnwrap(engine.state(ofEntity: "apple")).buckets.map(\.start), [baseTime + 24 * 60 * minute])
    }

    func testIdleEntitiesAreEvictedAfterRetention() {
        var engine = AlertEngine(configuration: configuration(enabling: []), clock: ManualClock())
        let position = RecordPosition(partition: 0, offset: 0)
        _ = engine.process(mention("Nokia", at: baseTime, .neutral), at: position)
        _ = engine.process(mention("Apple", at: baseTime + engine.retention, .neutral), at: RecordPosition(partition: 0, offset: 1))
        XCTAssertEqual(engine.evictIdleEntities().map(\.entityKey), [], "evicted exactly at the retention")

        _ = engine.process(mention("Apple", at: baseTime + engine.retention + 1, .neutral), at: RecordPosition(partition: 0, offset: 2))
        let evicted = engine.evictIdleEntities()

        XCTAssertEqual(evicted.map(\.entityKey), ["nokia"])
        XCTAssertEqual(engine.entityCount, 1)
    }

    func testRemovingPartitionsDropsTheirEntities() {
        var engine = AlertEngine(configuration: configuration(enabling: []), clock: ManualClock())
        _ = engine.process(mention("Apple", at: baseTime, .neutral), at: RecordPosition(partition: 0, offset: 0))
        _ = engine.process(mention("Nokia", at: baseTime, .neutral), at: RecordPosition(partition: 1, offset: 0))

        let removed = engine.removeEntities(inPartitions: [1])

        XCTAssertEqual(removed, 1)
        XCTAssertNotNil(engine.state(ofEntity: "apple"))
        XCTAssertNil(engine.state(ofEntity: "nokia"))
    }
}
