import SpecTagSpeculation

// MARK: - Sentiment in output records

/// A sentiment label with its class probabilities and score, as output records carry it.
public struct SentimentSummary: Sendable, Equatable, Encodable {
    /// The most probable label, such as `negative`.
    public var label: String
    /// P(positive) − P(negative), in [-1, 1]; a missing label counts as probability 0.
    public var score: Double
    /// Probability per label of the model, such as `negative`, `neutral` and `positive`.
    public var probabilities: [String: Double]

    public init(_ result: SentimentResult) {
        self.init(label: result.label, probabilities: result.probabilities)
    }

    public init(label: String, probabilities: [String: Double]) {
        self.label = label
        self.probabilities = probabilities.mapValues(roundedScore)
        score = roundedScore((probabilities["positive"] ?? 0) - (probabilities["negative"] ?? 0))
    }

    /// Averages the probabilities of `results` and picks the most probable label; returns
    /// `nil` for no results. Ties go to the label that sorts first.
    public static func mean(of results: [SentimentResult]) -> SentimentSummary? {
        guard !results.isEmpty else { return nil }
        var sums: [String: Double] = [:]
        for result in results {
            for (label, probability) in result.probabilities {
                sums[label, default: 0] += probability
            }
        }
        let means = sums.mapValues { $0 / Double(results.count) }
        let label = means.keys.sorted().max { (means[$0] ?? 0) < (means[$1] ?? 0) } ?? ""
        return SentimentSummary(label: label, probabilities: means)
    }
}
