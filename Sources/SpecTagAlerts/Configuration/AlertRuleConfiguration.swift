// MARK: - Rule settings

/// `negative_share`: the share of negative mentions in a window is at least ``threshold``,
/// with at least ``minMentions`` mentions.
public struct NegativeShareRule: Codable, Sendable, Equatable {
    public var enabled = true
    /// Minimum share of negative mentions, in (0, 1].
    public var threshold = 0.6
    public var minMentions = 5
    /// After an alert, windows that end less than this later do not alert again.
    public var cooldown = AlertDuration.minutes(30)

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, threshold, cooldown
        case minMentions = "min_mentions"
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, knownKeys: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = NegativeShareRule()
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? defaults.enabled
        threshold = try container.decodeIfPresent(Double.self, forKey: .threshold) ?? defaults.threshold
        minMentions = try container.decodeIfPresent(Int.self, forKey: .minMentions) ?? defaults.minMentions
        cooldown = try container.decodeIfPresent(AlertDuration.self, forKey: .cooldown) ?? defaults.cooldown
    }
}

/// `volume_spike`: the mentions in a window are at least ``factor`` times the entity's
/// baseline, and at least ``minMentions``.
///
/// The baseline is the mean number of mentions per window over the ``baselineWindows``
/// windows before the current one, but never less than ``minBaseline``, so an entity
/// without history needs `factor × min_baseline` and `min_mentions` mentions.
public struct VolumeSpikeRule: Codable, Sendable, Equatable {
    public var enabled = true
    public var factor = 3.0
    public var baselineWindows = 24
    public var minMentions = 10
    public var minBaseline = 1.0
    public var cooldown = AlertDuration.minutes(30)

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, factor, cooldown
        case baselineWindows = "baseline_windows"
        case minMentions = "min_mentions"
        case minBaseline = "min_baseline"
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, knownKeys: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = VolumeSpikeRule()
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? defaults.enabled
        factor = try container.decodeIfPresent(Double.self, forKey: .factor) ?? defaults.factor
        baselineWindows = try container.decodeIfPresent(Int.self, forKey: .baselineWindows) ?? defaults.baselineWindows
        minMentions = try container.decodeIfPresent(Int.self, forKey: .minMentions) ?? defaults.minMentions
        minBaseline = try container.decodeIfPresent(Double.self, forKey: .minBaseline) ?? defaults.minBaseline
        cooldown = try container.decodeIfPresent(AlertDuration.self, forKey: .cooldown) ?? defaults.cooldown
    }
}

/// `sentiment_swing`: the mean `sentiment_score` of a window differs by at least ``delta``
/// (in either direction) from that of the window of the same length just before it, with
/// at least ``minMentions`` mentions in both.
public struct SentimentSwingRule: Codable, Sendable, Equatable {
    public var enabled = true
    /// Minimum absolute change of the mean score, in (0, 2].
    public var delta = 0.5
    public var minMentions = 3
    public var cooldown = AlertDuration.minutes(30)

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, delta, cooldown
        case minMentions = "min_mentions"
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, knownKeys: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SentimentSwingRule()
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? defaults.enabled
        delta = try container.decodeIfPresent(Double.self, forKey: .delta) ?? defaults.delta
        minMentions = try container.decodeIfPresent(Int.self, forKey: .minMentions) ?? defaults.minMentions
        cooldown = try container.decodeIfPresent(AlertDuration.self, forKey: .cooldown) ?? defaults.cooldown
    }
}

/// The settings of all rules; a rule missing from the JSON keeps its defaults.
public struct AlertRules: Codable, Sendable, Equatable {
    public var negativeShare = NegativeShareRule()
    public var volumeSpike = VolumeSpikeRule()
    public var sentimentSwing = SentimentSwingRule()

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case negativeShare = "negative_share"
        case volumeSpike = "volume_spike"
        case sentimentSwing = "sentiment_swing"
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, knownKeys: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        negativeShare = try container.decodeIfPresent(NegativeShareRule.self, forKey: .negativeShare) ?? NegativeShareRule()
        volumeSpike = try container.decodeIfPresent(VolumeSpikeRule.self, forKey: .volumeSpike) ?? VolumeSpikeRule()
        sentimentSwing = try container.decodeIfPresent(SentimentSwingRule.self, forKey: .sentimentSwing) ?? SentimentSwingRule()
    }

    /// Returns the cooldown of `rule`.
    public func cooldown(of rule: AlertRuleName) -> AlertDuration {
        switch rule {
        case .negativeShare: return negativeShare.cooldown
        case .volumeSpike: return volumeSpike.cooldown
        case .sentimentSwing: return sentimentSwing.cooldown
        }
    }
}
