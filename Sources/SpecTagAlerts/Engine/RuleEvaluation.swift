import Foundation

// MARK: - Rule evaluation

/// Thresholds are compared with this tolerance, so that a share of 3/5 meets a threshold
/// of 0.6 although the two doubles may differ in the last bit.
let comparisonTolerance = 1e-9

extension AlertEngine {
    /// Evaluates every enabled rule on the window that ends at `windowEnd`, records the
    /// alerts in the entity's cooldowns, and returns the alerts and the suppressed rules.
    func evaluateRules(for state: inout EntityWindowState, windowEnd: Int64) -> (alerts: [AlertRecord], suppressed: [AlertRuleName]) {
        let figures = windowFigures(of: state, windowEnd: windowEnd)
        var alerts: [AlertRecord] = []
        var suppressed: [AlertRuleName] = []
        for rule in AlertRuleName.allCases where isEnabled(rule) && conditionHolds(rule, figures) {
            let cooldown = configuration.rules.cooldown(of: rule).milliseconds
            if let lastEnd = state.lastAlertWindowEnds[rule], windowEnd < lastEnd + cooldown {
                suppressed.append(rule)
                continue
            }
            state.lastAlertWindowEnds[rule] = max(state.lastAlertWindowEnds[rule] ?? windowEnd, windowEnd)
            alerts.append(makeAlert(rule, figures: figures, state: state))
        }
        return (alerts, suppressed)
    }

    /// Returns the figures of the window `[windowEnd - window, windowEnd)`, its baseline and
    /// the window before it.
    func windowFigures(of state: EntityWindowState, windowEnd: Int64) -> WindowFigures {
        let window = configuration.window.milliseconds
        let start = windowEnd - window
        let current = state.totals(from: start, to: windowEnd)
        let previous = state.totals(from: start - window, to: start)
        let baselineWindows = configuration.rules.volumeSpike.baselineWindows
        let baselineTotals = state.totals(from: start - window * Int64(baselineWindows), to: start)
        return WindowFigures(
            start: start,
            end: windowEnd,
            mentions: current.mentions,
            negative: current.negative,
            neutral: current.neutral,
            positive: current.positive,
            negativeShare: current.mentions > 0 ? Double(current.negative) / Double(current.mentions) : 0,
            meanScore: current.meanScore ?? 0,
            baseline: Double(baselineTotals.mentions) / Double(baselineWindows),
            previousMentions: previous.mentions,
            previousMeanScore: previous.meanScore
        )
    }

    // MARK: Conditions

    private func isEnabled(_ rule: AlertRuleName) -> Bool {
        switch rule {
        case .negativeShare: return configuration.rules.negativeShare.enabled
        case .volumeSpike: return configuration.rules.volumeSpike.enabled
        case .sentimentSwing: return configuration.rules.sentimentSwing.enabled
        }
    }

    /// Returns whether the condition of `rule` holds for `figures`, ignoring the cooldown.
    func conditionHolds(_ rule: AlertRuleName, _ figures: WindowFigures) -> Bool {
        switch rule {
        case .negativeShare:
            let settings = configuration.rules.negativeShare
            return figures.mentions >= settings.minMentions
                && figures.negativeShare >= settings.threshold - comparisonTolerance
        case .volumeSpike:
            let settings = configuration.rules.volumeSpike
            let baseline = max(figures.baseline, settings.minBaseline)
            return figures.mentions >= settings.minMentions
                && Double(figures.mentions) >= settings.factor * baseline - comparisonTolerance
        case .sentimentSwing:
            let settings = configuration.rules.sentimentSwing
            guard let previousMean = figures.previousMeanScore,
                  figures.mentions >= settings.minMentions, figures.previousMentions >= settings.minMentions
            else { return false }
            return abs(figures.meanScore - previousMean) >= settings.delta - comparisonTolerance
        }
    }

    // MARK: Alerts

    private func makeAlert(_ rule: AlertRuleName, figures: WindowFigures, state: EntityWindowState) -> AlertRecord {
        let mentions = triggeringMentions(rule, figures: figures, state: state)
        return AlertRecord(
            alertID: AlertIdentifier.make(entityKey: state.entityKey, rule: rule, windowStart: figures.start),
            entity: state.entity,
            entityKey: state.entityKey,
            entityType: state.entityType,
            rule: rule,
            parameters: parameters(of: rule),
            window: figures,
            summary: summary(rule, figures: figures, entity: state.entity),
            triggers: mentions.map(\.trigger),
            tickers: Array(Set(mentions.flatMap(\.tickers))).sorted(),
            createdAt: Timestamp.milliseconds(of: clock.now())
        )
    }

    /// Returns the newest mentions of the window that explain the rule, newest first:
    /// negative ones for `negative_share`, those in the direction of the change for
    /// `sentiment_swing` (all, when there are none), and all for `volume_spike`.
    private func triggeringMentions(_ rule: AlertRuleName, figures: WindowFigures, state: EntityWindowState) -> [RecentMention] {
        let inWindow = state.recentMentions
            .filter { $0.trigger.eventTime >= figures.start && $0.trigger.eventTime < figures.end }
            .reversed()
        var selected: [RecentMention]
        switch rule {
        case .negativeShare:
            selected = inWindow.filter { $0.trigger.sentiment == .negative }
        case .volumeSpike:
            selected = Array(inWindow)
        case .sentimentSwing:
            let falling = figures.meanScore < (figures.previousMeanScore ?? 0)
            let direction: SentimentLabel = falling ? .negative : .positive
            selected = inWindow.filter { $0.trigger.sentiment == direction }
            if selected.isEmpty {
                selected = Array(inWindow)
            }
        }
        return Array(selected.prefix(configuration.maxTriggers))
    }

    private func parameters(of rule: AlertRuleName) -> AlertParameters {
        let rules = configuration.rules
        var parameters = AlertParameters(
            windowSeconds: configuration.window.seconds,
            slideSeconds: configuration.slide.seconds,
            cooldownSeconds: rules.cooldown(of: rule).seconds,
            minMentions: 0
        )
        switch rule {
        case .negativeShare:
            parameters.minMentions = rules.negativeShare.minMentions
            parameters.threshold = rules.negativeShare.threshold
        case .volumeSpike:
            parameters.minMentions = rules.volumeSpike.minMentions
            parameters.factor = rules.volumeSpike.factor
            parameters.baselineWindows = rules.volumeSpike.baselineWindows
            parameters.minBaseline = rules.volumeSpike.minBaseline
        case .sentimentSwing:
            parameters.minMentions = rules.sentimentSwing.minMentions
            parameters.delta = rules.sentimentSwing.delta
        }
        return parameters
    }

    private func summary(_ rule: AlertRuleName, figures: WindowFigures, entity: String) -> String {
        let window = configuration.window.description
        switch rule {
        case .negativeShare:
            let percent = Int((figures.negativeShare * 100).rounded())
            return "\(figures.negative) of \(figures.mentions) mentions of \(entity) in the \(window) window are negative (\(percent)%)"
        case .volumeSpike:
            let minBaseline = configuration.rules.volumeSpike.minBaseline
            let baseline = max(figures.baseline, minBaseline)
            let ratio = baseline > 0 ? Double(figures.mentions) / baseline : 0
            let baselineText = figures.baseline < minBaseline
                ? "the minimum baseline of \(format(minBaseline, digits: 1)) (measured \(format(figures.baseline, digits: 1)))"
                : "its baseline of \(format(figures.baseline, digits: 1))"
            return "\(figures.mentions) mentions of \(entity) in the \(window) window, \(format(ratio, digits: 1)) times \(baselineText) per window"
        case .sentimentSwing:
            let previous = figures.previousMeanScore ?? 0
            let verb = figures.meanScore < previous ? "fell" : "rose"
            return "Mean sentiment of \(entity) \(verb) from \(format(previous, digits: 2)) to \(format(figures.meanScore, digits: 2)) between consecutive \(window) windows"
        }
    }

    private func format(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
