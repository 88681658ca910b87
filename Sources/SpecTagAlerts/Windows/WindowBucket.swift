// MARK: - Buckets

/// The mentions of one entity in one slide interval `[start, start + slide)`.
///
/// Windows are sums of consecutive buckets. In JSON a bucket is the array
/// `[start, mentions, negative, neutral, positive, score_sum]`, because an entity can have
/// hundreds of them and the changelog repeats them on every update.
public struct WindowBucket: Codable, Sendable, Equatable {
    /// Milliseconds since the epoch, a multiple of the slide.
    public var start: Int64
    public var mentions = 0
    public var negative = 0
    public var neutral = 0
    public var positive = 0
    /// Sum of the mentions' `sentiment_score`.
    public var scoreSum = 0.0

    public init(start: Int64) {
        self.start = start
    }

    mutating func add(_ sentiment: SentimentLabel, score: Double) {
        mentions += 1
        scoreSum += score
        switch sentiment {
        case .negative: negative += 1
        case .neutral: neutral += 1
        case .positive: positive += 1
        }
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        start = try container.decode(Int64.self)
        mentions = try container.decode(Int.self)
        negative = try container.decode(Int.self)
        neutral = try container.decode(Int.self)
        positive = try container.decode(Int.self)
        scoreSum = try container.decode(Double.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(start)
        try container.encode(mentions)
        try container.encode(negative)
        try container.encode(neutral)
        try container.encode(positive)
        try container.encode(scoreSum)
    }
}

/// The sums of a range of buckets.
struct BucketTotals {
    var mentions = 0
    var negative = 0
    var neutral = 0
    var positive = 0
    var scoreSum = 0.0

    mutating func add(_ bucket: WindowBucket) {
        mentions += bucket.mentions
        negative += bucket.negative
        neutral += bucket.neutral
        positive += bucket.positive
        scoreSum += bucket.scoreSum
    }

    var meanScore: Double? {
        mentions > 0 ? scoreSum / Double(mentions) : nil
    }
}
