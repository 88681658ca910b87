// MARK: - Scores

/// The phrase counts and scores of one chunk type, as in a per-type line of conlleval.pl.
public struct ConllevalTypeScores: Codable, Equatable, Sendable {
    /// The chunk type, such as `PER`.
    public var type: String
    /// Phrases of this type in the gold column.
    public var goldPhraseCount: Int
    /// Phrases of this type in the predicted column. conlleval.pl prints this number at the
    /// end of the type's line.
    public var predictedPhraseCount: Int
    /// Predicted phrases with the same start, end and type as a gold phrase.
    public var correctPhraseCount: Int
    /// Precision in percent, 0 when nothing of this type was predicted.
    public var precision: Double
    /// Recall in percent, 0 when the gold column has no phrase of this type.
    public var recall: Double
    /// F1 in percent (conlleval's FB1), 0 when precision and recall are both 0.
    public var fb1: Double
}

/// The numbers that conlleval.pl prints, unrounded. Percentages are in percent (0...100).
public struct ConllevalScores: Codable, Equatable, Sendable {
    /// Tokens scored. Sentence boundaries do not count.
    public var tokenCount: Int
    /// Tokens whose gold and predicted tags are equal (prefix and type).
    public var correctTagCount: Int
    /// Phrases in the gold column (conlleval's "phrases").
    public var goldPhraseCount: Int
    /// Phrases in the predicted column (conlleval's "found").
    public var predictedPhraseCount: Int
    /// Predicted phrases with the same start, end and type as a gold phrase.
    public var correctPhraseCount: Int
    /// Token accuracy in percent, or `nil` when no token was scored. conlleval.pl then prints
    /// no accuracy line.
    public var accuracy: Double?
    /// Phrase precision in percent, 0 when nothing was predicted.
    public var precision: Double
    /// Phrase recall in percent, 0 when the gold column has no phrase.
    public var recall: Double
    /// Phrase F1 in percent (conlleval's FB1).
    public var fb1: Double
    /// Scores per chunk type, sorted by the UTF-8 bytes of the type as conlleval.pl sorts them.
    public var types: [ConllevalTypeScores]

    /// Computes the percentages from the counts with the same expressions, in the same
    /// floating-point order, as conlleval.pl.
    init(
        tokenCount: Int, correctTagCount: Int, goldPhraseCount: Int, predictedPhraseCount: Int,
        correctPhraseCount: Int, goldPhrasesByType: [String: Int],
        predictedPhrasesByType: [String: Int], correctPhrasesByType: [String: Int]
    ) {
        self.tokenCount = tokenCount
        self.correctTagCount = correctTagCount
        self.goldPhraseCount = goldPhraseCount
        self.predictedPhraseCount = predictedPhraseCount
        self.correctPhraseCount = correctPhraseCount
        accuracy = tokenCount > 0 ? percentage(correctTagCount, of: tokenCount) : nil
        precision = predictedPhraseCount > 0 ? percentage(correctPhraseCount, of: predictedPhraseCount) : 0
        recall = goldPhraseCount > 0 ? percentage(correctPhraseCount, of: goldPhraseCount) : 0
        fb1 = harmonicMean(precision, recall)

        let allTypes = Set(goldPhrasesByType.keys).union(predictedPhrasesByType.keys)
        types = allTypes.sorted(by: precedesInByteOrder).map { type in
            let gold = goldPhrasesByType[type] ?? 0
            let predicted = predictedPhrasesByType[type] ?? 0
            let correct = correctPhrasesByType[type] ?? 0
            let precision = predicted > 0 ? percentage(correct, of: predicted) : 0
            let recall = gold > 0 ? percentage(correct, of: gold) : 0
            return ConllevalTypeScores(
                type: type, goldPhraseCount: gold, predictedPhraseCount: predicted,
                correctPhraseCount: correct, precision: precision, recall: recall,
                fb1: harmonicMean(precision, recall))
        }
    }

    /// Returns the scores for one chunk type, or `nil` when neither column has a phrase of it.
    public func scores(forType type: String) -> ConllevalTypeScores? {
        types.first { $0.type == type }
    }
}

// MARK: - Report

extension ConllevalScores {
    /// Formats the scores as conlleval.pl prints them, byte for byte, for example:
    ///
    /// ```
    /// processed 51362 tokens with 5942 phrases; found: 5934 phrases; correct: 5475.
    /// accuracy:  98.12%; precision:  92.26%; recall:  92.14%; FB1:  92.20
    ///               LOC: precision:  94.39%; recall:  95.37%; FB1:  94.88  1856
    /// ```
    ///
    /// Every line ends with a newline. The last number of a type line is the count of
    /// predicted phrases of that type.
    public func formatted() -> String {
        var text = "processed \(tokenCount) tokens with \(goldPhraseCount) phrases; "
            + "found: \(predictedPhraseCount) phrases; correct: \(correctPhraseCount).\n"
        if let accuracy {
            text += "accuracy: \(percentField(accuracy))%; precision: \(percentField(precision))%; "
                + "recall: \(percentField(recall))%; FB1: \(percentField(fb1))\n"
        }
        for typeScores in types {
            let line = padLeft(typeScores.type, toWidth: 17, countingUTF8Bytes: true)
                + ": precision: \(percentField(typeScores.precision))%; "
                + "recall: \(percentField(typeScores.recall))%; "
                + "FB1: \(percentField(typeScores.fb1))  \(typeScores.predictedPhraseCount)\n"
            text += line
            // conlleval.pl deduplicates the sorted type list with a truth test on the previous
            // type, which fails for the empty type, so a type-less phrase in both columns
            // gets its line twice.
            if typeScores.type.isEmpty, typeScores.goldPhraseCount > 0, typeScores.predictedPhraseCount > 0 {
                text += line
            }
        }
        return text
    }
}

// MARK: - Arithmetic

/// Returns `100 * part / whole` evaluated as conlleval.pl evaluates it.
private func percentage(_ part: Int, of whole: Int) -> Double {
    Double(100 * part) / Double(whole)
}

/// Returns `2 * p * r / (p + r)`, or 0 when `p + r` is 0, as conlleval.pl computes FB1.
private func harmonicMean(_ precision: Double, _ recall: Double) -> Double {
    guard precision + recall > 0 else {
        return 0
    }
    return 2 * precision * recall / (precision + recall)
}

/// Formats a percentage as conlleval.pl's `%6.2f`.
private func percentField(_ value: Double) -> String {
    formatFixed(value, width: 6, precision: 2)
}
