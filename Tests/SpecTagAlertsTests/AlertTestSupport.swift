import Foundation
import SpecTagAlerts

// MARK: - Controlled clock

/// A clock that tests set and advance by hand.
final class ManualClock: AlertClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_796_414_400)) {
        current = start
    }

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func set(milliseconds: Int64) {
        lock.lock()
        defer { lock.unlock() }
        current = Timestamp.date(milliseconds: milliseconds)
    }
}

// MARK: - Crafted records

/// 2026-12-04T20:00:00Z, a multiple of 15 minutes.
let baseTime: Int64 = 1_796_414_400_000
let minute: Int64 = 60_000

/// Makes an entity-sentiment record published at `time`, processed one second later.
func mention(
    _ entity: String = "Apple Inc.",
    at time: Int64,
    _ sentiment: SentimentLabel = .negative,
    score: Double? = nil,
    id: String? = nil,
    processedAt: Int64? = nil,
    publishedAtKnown: Bool = true,
    tickers: [String] = ["AAPL"]
) -> EntitySentimentRecord {
    let defaultScore: Double
    switch sentiment {
    case .negative: defaultScore = -0.8
    case .neutral: defaultScore = 0
    case .positive: defaultScore = 0.8
    }
    return EntitySentimentRecord(
        entity: entity,
        entityType: "ORG",
        messageID: id ?? "n-\(time)-\(sentiment.rawValue)",
        headline: "\(entity) headline at \(Timestamp.string(milliseconds: time))",
        sentiment: sentiment,
        sentimentScore: score ?? defaultScore,
        publishedAt: publishedAtKnown ? time : nil,
        processedAt: processedAt ?? time + 1000,
        source: "test",
        tickers: tickers
    )
}

extension AlertEngine.Outcome {
    /// The alerts of a counted record, or an empty list.
    var alerts: [AlertRecord] {
        if case .counted(let alerts, _) = self { return alerts }
        return []
    }

    var suppressed: [AlertRuleName] {
        if case .counted(_, let suppressed) = self { return suppressed }
        return []
    }

    var isLate: Bool {
        if case .late = self { return true }
        return false
    }
}

/// Returns the default configuration with only `rules` enabled, and with tumbling windows
/// (slide equal to the window) when `tumbling` is set.
func configuration(
    enabling rules: Set<AlertRuleName>,
    tumbling: Bool = false,
    _ adjust: (inout AlertConfiguration) -> Void = { _ in }
) -> AlertConfiguration {
    var configuration = AlertConfiguration()
    configuration.rules.negativeShare.enabled = rules.contains(.negativeShare)
    configuration.rules.volumeSpike.enabled = rules.contains(.volumeSpike)
    configuration.rules.sentimentSwing.enabled = rules.contains(.sentimentSwing)
    if tumbling {
        configuration.slide = configuration.window
    }
    adjust(&configuration)
    return configuration
}
