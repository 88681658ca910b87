import SpecTagAlerts
import XCTest

final class AlertRuleTests: XCTestCase {
    // MARK: negative_share

    func testNegativeShareFiresAtThreshold() throws {
        var engine = AlertEngine(configuration: configuration(enabling: [.negativeShare]), clock: ManualClock())
        let labels: [SentimentLabel] = [.neutral, .neutral, .negative, .negative, .negative]

        let outcomes = labels.enumerated().map { index, label in
            engine.process(mention(at: baseTime + Int64(index) * 1000, label))
        }

        XCTAssertEqual(outcomes.prefix(4).flatMap(\.alerts), [], "fired before 5 mentions")
        let alerts = outcomes[4].alerts
        XCTAssertEqual(alerts.count, 1)
        let alert = try XCTUnwrap(alerts.first)
        XCTAssertEqual(alert.rule, .negativeShare)
        XCTAssertEqual(alert.window.mentions, 5)
        XCTAssertEqual(alert.window.negative, 3)
        XCTAssertEqual(alert.window.neutral, 2)
        XCTAssertEqual(alert.window.negativeShare, 0.6, accuracy: 1e-12)
        XCTAssertEqual(alert.window.end, baseTime + minute, "window must end at the end of the record's slide")
        XCTAssertEqual(alert.window.start, baseTime + minute - 15 * minute)
        XCTAssertEqual(alert.parameters.threshold, 0.6)
        XCTAssertEqual(alert.parameters.minMentions, 5)
        XCTAssertEqual(alert.triggers.map(\.sentiment), [.negative, .negative, .negative], "only negative mentions explain the rule")
        XCTAssertEqual(alert.triggers.first?.eventTime, baseTime + 4000, "newest trigger first")
        XCTAssertEqual(alert.tickers, ["AAPL"])
        XCTAssertEqual(alert.entityKey, "apple")
    }

    func testNegativeShareJustBelowThresholdDoesNotFire() {
        var engine = AlertEngine(
            configuration: configuration(enabling: [.negativeShare]) { $0.rules.negativeShare.threshold = 0.61 },
            clock: ManualClock()
        )
        let labels: [SentimentLabel] = [.neutral, .neutral, .negative, .negative, .negative]

        let alerts = labels.enumerated().flatMap { index, label in
            engine.process(mention(at: baseTime + Int64(index) * 1000, label)).alerts
        }

        XCTAssertEqual(alerts, [])
    }

    func testNegativeShareNeedsMinimumMentions() {
        var engine = AlertEngine(configuration: configuration(enabling: [.negativeShare]), clock: ManualClock())

        let alerts = (0..<4).flatMap { index in
            engine.process(mention(at: baseTime + Int64(index) * 1000, .negative)).alerts
        }

        XCTAssertEqual(alerts, [], "4 negative mentions are below min_mentions 5")
    }

    func testSlidingWindowSpansSlideBoundaries() {
        // Three mentions at 20:13 and two at 20:16 are in no common tumbling 15-minute
        // window, but in the sliding window [20:02, 20:17).
        var engine = AlertEngine(configuration: configuration(enabling: [.negativeShare]), clock: ManualClock())
        let times = [13, 13, 13, 16, 16].map { baseTime + Int64($0) * minute }

        let outcomes = times.map { engine.process(mention(at: $0, .negative)) }

        XCTAssertEqual(outcomes.prefix(4).flatMap(\.alerts), [])
        XCTAssertEqual(outcomes[4].alerts.map(\.window.start), [baseTime + 2 * minute])
    }

    // MARK: volume_spike

    /// Sends two neutral mentions into each of the 24 tumbling windows before `baseTime`.
    private func sendBaselineHistory(to engine: inout AlertEngine) {
        for window in (1...24).reversed() {
            for second in [60, 120] {
                let time = baseTime - Int64(window) * 15 * minute + Int64(second) * 1000
                XCTAssertEqual(engine.process(mention("Siemens AG", at: time, .neutral)).alerts, [], "history fired")
            }
        }
    }

    func testVolumeSpikeFiresAtFactorTimesBaseline() throws {
        var engine = AlertEngine(
            configuration: configuration(enabling: [.volumeSpike], tumbling: true) { $0.rules.volumeSpike.minMentions = 5 },
            clock: ManualClock()
        )
        sendBaselineHistory(to: &engine)

        let outcomes = (0..<6).map { index in
            engine.process(mention("Siemens AG", at: baseTime + Int64(index) * 1000, .neutral))
        }

        XCTAssertEqual(outcomes.prefix(5).flatMap(\.alerts), [], "5 mentions are below 3 × baseline 2")
        let alert = try XCTUnwrap(outcomes[5].alerts.first)
        XCTAssertEqual(outcomes[5].alerts.count, 1)
        XCTAssertEqual(alert.rule, .volumeSpike)
        XCTAssertEqual(alert.window.baseline, 2, accuracy: 1e-12)
        XCTAssertEqual(alert.window.mentions, 6)
        XCTAssertEqual(alert.parameters.factor, 3)
        XCTAssertEqual(alert.parameters.baselineWindows, 24)
        XCTAssertEqual(alert.entityKey, "siemens")
        XCTAssertEqual(alert.summary, "6 mentions of Siemens AG in the 15m window, 3.0 times its baseline of 2.0 per window")
    }

    func testVolumeSpikeWithoutHistoryNeedsMinimumMentions() {
        var engine = AlertEngine(configuration: configuration(enabling: [.volumeSpike]), clock: ManualClock())

        let outcomes = (0..<10).map { index in
            engine.process(mention("Siemens AG", at: baseTime + Int64(index) * 1000, .neutral))
        }

        XCTAssertEqual(outcomes.prefix(9).flatMap(\.alerts), [], "fired below min_mentions 10")
        XCTAssertEqual(outcomes[9].alerts.map(\.rule), [.volumeSpike])
        XCTAssertEqual(outcomes[9].alerts.first?.window.baseline, 0)
        XCTAssertEqual(
            outcomes[9].alerts.first?.summary,
            "10 mentions of Siemens AG in the 15m window, 10.0 times the minimum baseline of 1.0 (measured 0.0) per window"
        )
    }

    // MARK: sentiment_swing

    private func swingOutcomes(previousScore: Double, currentScore: Double) -> [AlertEngine.Outcome] {
        var engine = AlertEngine(configuration: configuration(enabling: [.sentimentSwing], tumbling: true), clock: ManualClock())
        var outcomes: [AlertEngine.Outcome] = []
        for index in 0..<3 {
            let time = baseTime - 15 * minute + Int64(index) * minute
            outcomes.append(engine.process(mention(at: time, .positive, score: previousScore)))
        }
        for index in 0..<3 {
            let time = baseTime + Int64(index) * minute
            outcomes.append(engine.process(mention(at: time, .negative, score: currentScore)))
        }
        return outcomes
    }

    func testSentimentSwingFiresAtDelta() throws {
        let outcomes = swingOutcomes(previousScore: 0.3, currentScore: -0.2)

        XCTAssertEqual(outcomes.prefix(5).flatMap(\.alerts), [], "fired before 3 mentions in the current window")
        let alert = try XCTUnwrap(outcomes[5].alerts.first)
        XCTAssertEqual(alert.rule, .sentimentSwing)
        XCTAssertEqual(alert.window.meanScore, -0.2, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(alert.window.previousMeanScore), 0.3, accuracy: 1e-12)
        XCTAssertEqual(alert.window.previousMentions, 3)
        XCTAssertEqual(alert.triggers.count, 3)
        XCTAssertTrue(alert.summary.contains("fell"), alert.summary)
    }

    func testSentimentSwingJustBelowDeltaDoesNotFire() {
        let outcomes = swingOutcomes(previousScore: 0.3, currentScore: -0.19)

        XCTAssertEqual(outcomes.flatMap(\.alerts), [])
    }

    func testSentimentSwingNeedsMentionsInBothWindows() {
        var engine = AlertEngine(configuration: configuration(enabling: [.sentimentSwing], tumbling: true), clock: ManualClock())
        var alerts: [AlertRecord] = []
        for index in 0..<2 {
            alerts += engine.process(mention(at: baseTime - 10 * minute + Int64(index) * 1000, .positive, score: 0.9)).alerts
        }
        for index in 0..<5 {
            alerts += engine.process(mention(at: baseTime + Int64(index) * 1000, .negative, score: -0.9)).alerts
        }

        XCTAssertEqual(alerts, [], "the previous window has 2 mentions, below min_mentions 3")
    }

    // MARK: Cooldown

    func testCooldownSuppressesRepeatsUntilItEnds() throws {
        var engine = AlertEngine(configuration: configuration(enabling: [.negativeShare]), clock: ManualClock())
        func burst(at start: Int64) -> [AlertEngine.Outcome] {
            (0..<5).map { engine.process(mention(at: start + Int64($0) * 1000, .negative)) }
        }

        let first = burst(at: baseTime)
        let repeated = burst(at: baseTime + 10 * 1000)
        let beforeCooldownEnd = burst(at: baseTime + 29 * minute)
        let afterCooldownEnd = burst(at: baseTime + 30 * minute)

        XCTAssertEqual(first.flatMap(\.alerts).count, 1)
        XCTAssertEqual(repeated.flatMap(\.alerts), [], "alerted again in the same window")
        XCTAssertEqual(repeated.flatMap(\.suppressed), Array(repeating: .negativeShare, count: 5))
        XCTAssertEqual(beforeCooldownEnd.flatMap(\.alerts), [], "alerted 29 minutes after the first alert")
        let second = afterCooldownEnd.flatMap(\.alerts)
        XCTAssertEqual(second.count, 1, "no alert once the 30-minute cooldown ended")
        let firstEnd = try XCTUnwrap(first.flatMap(\.alerts).first?.window.end)
        XCTAssertEqual(second.first?.window.end, firstEnd + 30 * minute)
    }

    func testCooldownIsPerRule() {
        var engine = AlertEngine(
            configuration: configuration(enabling: [.negativeShare, .volumeSpike]),
            clock: ManualClock()
        )

        let alerts = (0..<10).flatMap { engine.process(mention(at: baseTime + Int64($0) * 1000, .negative)).alerts }

        XCTAssertEqual(alerts.map(\.rule), [.negativeShare, .volumeSpike])
    }

    func testDisabledRuleNeverFires() {
        var engine = AlertEngine(configuration: configuration(enabling: []), clock: ManualClock())

        let alerts = (0..<20).flatMap { engine.process(mention(at: baseTime + Int64($0) * 1000, .negative)).alerts }

        XCTAssertEqual(alerts, [])
    }
}
