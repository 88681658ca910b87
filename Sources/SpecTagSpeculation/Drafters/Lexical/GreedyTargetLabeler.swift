import SpecTagModels

// MARK: - Target labels for distillation

/// Labels sentences with a target model's greedy output, the labels a drafter is distilled on.
public struct GreedyTargetLabeler: Sendable {
    public let model: TargetModel
    /// Sentences encoded per encoder batch.
    public let batchSize: Int

    public init(model: TargetModel, batchSize: Int = 16) {
        self.model = model
        self.batchSize = max(1, batchSize)
    }

    /// Returns the target's greedy tags and sentiment for each sentence.
    ///
    /// - Throws: the encoder's `TokenizerError` or `EncoderInputError` for a sentence it cannot
    ///   encode.
    public func labels(for sentences: [[String]]) throws -> [(tags: [Int], sentiment: Int)] {
        let decoder = SpeculativeDecoder(decoder: model.decoder, drafter: nil, maximumDraft: 0)
        var result: [(tags: [Int], sentiment: Int)] = []
        result.reserveCapacity(sentences.count)
        var start = 0
        while start < sentences.count {
            let batch = Array(sentences[start ..< min(start + batchSize, sentences.count)])
            let encoded = try model.encode(batch)
            let drafting = zip(batch, encoded).map { DraftingSentence(words: $0, encoded: $1) }
            result += decoder.decode(drafting).sentences.map { ($0.tags, $0.sentiment) }
            start += batch.count
        }
        return result
    }
}
