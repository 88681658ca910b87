// MARK: - Counter

/// Counts tokens and phrases exactly as conlleval.pl (version 2004-01-26) does, one token at
/// a time.
///
/// Feed the tokens of each sentence with `addToken(gold:predicted:)` and call
/// `addSentenceBoundary()` where the file has a blank line, then read `scores()`. Tags are
/// compared as strings after `ConllevalTag` splits them, so any chunk representation that
/// conlleval.pl accepts works, not only BIO.
public struct ConllevalCounter: Sendable {
    private var previousGold = ConllevalTag.outside
    private var previousPredicted = ConllevalTag.outside
    /// Whether the current gold and predicted chunks started together with the same type
    /// and have matched so far (conlleval.pl's `$inCorrect`).
    private var isInMatchingChunk = false

    private var tokenCount = 0
    private var correctTagCount = 0
    private var goldPhraseCount = 0
    private var predictedPhraseCount = 0
    private var correctPhraseCount = 0
    private var goldPhrasesByType: [String: Int] = [:]
    private var predictedPhrasesByType: [String: Int] = [:]
    private var correctPhrasesByType: [String: Int] = [:]

    public init() {}

    /// Adds one token with its gold and predicted tags.
    public mutating func addToken(gold: String, predicted: String) {
        process(gold: ConllevalTag(gold), predicted: ConllevalTag(predicted), isBoundary: false)
    }

    /// Adds a sentence boundary: a blank line or a `-X-` line of conlleval.pl's input. It ends
    /// open phrases and is not counted as a token.
    public mutating func addSentenceBoundary() {
        process(gold: .outside, predicted: .outside, isBoundary: true)
    }

    /// Returns the scores of everything added so far, closing a phrase that is still open at
    /// the end of the input.
    public func scores() -> ConllevalScores {
        var correctByType = correctPhrasesByType
        var correct = correctPhraseCount
        if isInMatchingChunk {
            correct += 1
            correctByType[previousGold.type, default: 0] += 1
        }
        return ConllevalScores(
            tokenCount: tokenCount, correctTagCount: correctTagCount,
            goldPhraseCount: goldPhraseCount, predictedPhraseCount: predictedPhraseCount,
            correctPhraseCount: correct, goldPhrasesByType: goldPhrasesByType,
            predictedPhrasesByType: predictedPhrasesByType, correctPhrasesByType: correctByType)
    }

    // MARK: conlleval.pl's main loop

    private mutating func process(gold: ConllevalTag, predicted: ConllevalTag, isBoundary: Bool) {
        let goldEnds = ConllevalChunkRules.endsChunk(previous: previousGold, current: gold)
        let predictedEnds = ConllevalChunkRules.endsChunk(previous: previousPredicted, current: predicted)
        if isInMatchingChunk {
            if goldEnds, predictedEnds, previousPredicted.type == previousGold.type {
                isInMatchingChunk = false
                correctPhraseCount += 1
                correctPhrasesByType[previousGold.type, default: 0] += 1
            } else if goldEnds != predictedEnds || predicted.type != gold.type {
                isInMatchingChunk = false
            }
        }

        let goldStarts = ConllevalChunkRules.startsChunk(previous: previousGold, current: gold)
        let predictedStarts = ConllevalChunkRules.startsChunk(previous: previousPredicted, current: predicted)
        if goldStarts, predictedStarts, predicted.type == gold.type {
            isInMatchingChunk = true
        }
        if goldStarts {
            goldPhraseCount += 1
            goldPhrasesByType[gold.type, default: 0] += 1
        }
        if predictedStarts {
            predictedPhraseCount += 1
            predictedPhrasesByType[predicted.type, default: 0] += 1
        }

        if !isBoundary {
            if gold == predicted {
                correctTagCount += 1
            }
            tokenCount += 1
        }
        previousGold = gold
        previousPredicted = predicted
    }
}
