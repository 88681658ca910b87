import SpecTagAlerts
import XCTest

final class EntityMonitorTests: XCTestCase {
    func testRowsCountRecentWindowByEntity() throws {
        var monitor = EntityMonitor(window: .minutes(15), alertLimit: 5)
        monitor.add(mention("Apple Inc.", at: baseTime, .negative, score: -0.6), now: baseTime)
        monitor.add(mention("APPLE", at: baseTime + minute, .positive, score: 0.2), now: baseTime)
        monitor.add(mention("Apple's", at: baseTime + 2 * minute, .neutral, score: 0.1), now: baseTime)
        monitor.add(mention("Nokia Oyj", at: baseTime + 3 * minute, .negative), now: baseTime)

        let snapshot = monitor.snapshot(top: 10)

        XCTAssertEqual(snapshot.rows.map(\.entityKey), ["apple", "nokia"])
        let apple = try XCTUnwrap(snapshot.rows.first)
        XCTAssertEqual(apple.mentions, 3)
        XCTAssertEqual(apple.negative, 1)
        XCTAssertEqual(apple.neutral, 1)
        XCTAssertEqual(apple.positive, 1)
        XCTAssertEqual(apple.meanScore, -0.1, accuracy: 1e-12)
        XCTAssertEqual(apple.entity, "Apple's", "the row shows the newest mention text")
        XCTAssertEqual(snapshot.streamTime, baseTime + 3 * minute)
        XCTAssertEqual(snapshot.entityCount, 2)
        XCTAssertEqual(snapshot.recordsRead, 4)
    }

    func testMentionsOutsideWindowAreDropped() {
        var monitor = EntityMonitor(window: .minutes(15), alertLimit: 5)
        monitor.add(mention("Nokia", at: baseTime, .negative), now: baseTime)
        monitor.add(mention("Apple", at: baseTime + 15 * minute, .neutral), now: baseTime)

        let snapshot = monitor.snapshot(top: 10)

        XCTAssertEqual(snapshot.rows.map(\.entityKey), ["apple"], "a mention exactly one window old is outside it")
        XCTAssertEqual(snapshot.entityCount, 1)
    }

    func testTopLimitsRowsAndTiesSortByKey() {
        var monitor = EntityMonitor(window: .minutes(15), alertLimit: 5)
        for (index, name) in ["Siemens", "BMW", "Apple", "Apple"].enumerated() {
            monitor.add(mention(name, at: baseTime + Int64(index) * 1000, .neutral), now: baseTime)
        }

        let snapshot = monitor.snapshot(top: 2)

        XCTAssertEqual(snapshot.rows.map(\.entityKey), ["apple", "bmw"])
        XCTAssertEqual(snapshot.entityCount, 3)
    }

    func testLatestAlertsAreKeptNewestFirst() {
        var engine = AlertEngine(configuration: AlertConfiguration(), clock: ManualClock())
        var monitor = EntityMonitor(window: .minutes(15), alertLimit: 2)
        for name in ["Apple", "Nokia", "Siemens"] {
            for index in 0..<5 {
                engine.process(mention(name, at: baseTime + Int64(index) * 1000)).alerts.forEach { monitor.add($0) }
            }
        }

        let snapshot = monitor.snapshot(top: 10)

        XCTAssertEqual(snapshot.alerts.map(\.entityKey), ["siemens", "nokia"])
        XCTAssertEqual(snapshot.alertsRead, 3)
    }

    func testPlainRenderingShowsTableBarAndAlerts() throws {
        var engine = AlertEngine(configuration: AlertConfiguration(), clock: ManualClock())
        var monitor = EntityMonitor(window: .minutes(15), alertLimit: 5)
        let labels: [SentimentLabel] = [.negative, .negative, .negative, .neutral, .positive]
        for (index, label) in labels.enumerated() {
            let record = mention("Apple Inc.", at: baseTime + Int64(index) * 1000, label)
            monitor.add(record, now: baseTime)
            engine.process(record).alerts.forEach { monitor.add($0) }
        }
        monitor.addInvalidRecord()
        let renderer = MonitorRenderer(subtitle: "entities + alerts", width: nil, useColor: false)

        let text = renderer.render(monitor.snapshot(top: 5))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        XCTAssertTrue(lines[0].hasPrefix("spectag monitor  entities + alerts"), lines[0])
        XCTAssertTrue(lines[1].contains("ending 2026-12-04 20:00:04Z"), lines[1])
        XCTAssertTrue(lines[1].contains("invalid 1"), lines[1])
        let appleLine = try XCTUnwrap(lines.first { $0.hasPrefix("Apple Inc.") })
        XCTAssertTrue(appleLine.hasSuffix("------------....++++"), appleLine)
        XCTAssertTrue(appleLine.contains("-0.32"), appleLine)
        let alertLine = try XCTUnwrap(lines.first { $0.contains("negative_share") })
        XCTAssertTrue(alertLine.hasPrefix("2026-12-04 20:01:00Z"), alertLine)
        XCTAssertFalse(text.contains("\u{1B}["), "plain output must not contain ANSI escapes")
        XCTAssertTrue(text.hasSuffix("\n"))
    }

    func testColorRenderingUsesANSIAndCutsLongNames() {
        var monitor = EntityMonitor(window: .minutes(15), alertLimit: 5)
        monitor.add(mention("A company with a very long name indeed, longer than the column", at: baseTime, .negative), now: baseTime)
        let renderer = MonitorRenderer(subtitle: "topics", width: 100, useColor: true)

        let text = renderer.render(monitor.snapshot(top: 5))

        XCTAssertTrue(text.contains("\u{1B}[31m"), "negative bar must be red")
        XCTAssertTrue(text.contains("A company with a very long …"), text)
    }

    func testNarrowWidthCutsLinesAndDropsBar() {
        var monitor = EntityMonitor(window: .minutes(15), alertLimit: 5)
        monitor.add(mention("Apple", at: baseTime, .negative), now: baseTime)
        let renderer = MonitorRenderer(subtitle: "topics", width: 40, useColor: false)

        let lines = renderer.render(monitor.snapshot(top: 5)).split(separator: "\n")

        XCTAssertEqual(lines.filter { $0.count > 40 }, [])
        let appleLine = lines.first { $0.hasPrefix("Apple") }
        XCTAssertEqual(appleLine?.count, 40)
        XCTAssertEqual(appleLine?.last, "…")
    }
}
