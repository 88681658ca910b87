// MARK: - Evaluation

/// Sentence-level classification scores: accuracy, macro-F1, per-class scores and the
/// confusion matrix.
public struct SentimentEvaluation: Codable, Equatable, Sendable {
    /// The classes, in the order of the report rows and of the confusion matrix.
    public var labels: [String]
    /// The fraction of sentences whose predicted label equals the gold label.
    public var accuracy: Double
    /// The unweighted mean of the per-class F1 scores.
    public var macroF1: Double
    /// Per-class scores and averages, computed as scikit-learn computes them.
    public var report: ClassificationReport
    /// `confusionMatrix[g][p]` counts the sentences with gold label `labels[g]` and
    /// predicted label `labels[p]`: rows are gold, columns are predicted.
    public var confusionMatrix: [[Int]]

    /// Scores `predicted` against `gold`.
    ///
    /// - Parameter labels: The classes in report order, or `nil` for every label that occurs,
    ///   sorted by code point.
    /// - Throws: `EvaluationArgumentError` when the arrays differ in length or are empty,
    ///   when `labels` is empty or has duplicates, or when a gold or predicted label is not
    ///   in `labels`.
    public init(gold: [String], predicted: [String], labels: [String]? = nil) throws {
        let report = try ClassificationReport(gold: gold, predicted: predicted, labels: labels)
        let classes = report.classes.map(\.label)
        var position: [String: Int] = [:]
        for (index, label) in classes.enumerated() {
            position[label] = index
        }

        var matrix = Array(repeating: Array(repeating: 0, count: classes.count), count: classes.count)
        for (index, (goldLabel, predictedLabel)) in zip(gold, predicted).enumerated() {
            guard let row = position[goldLabel], let column = position[predictedLabel] else {
                let unknown = position[goldLabel] == nil ? goldLabel : predictedLabel
                throw EvaluationArgumentError(
                    "sample \(index + 1) has label '\(unknown)', which is not among the labels "
                        + classes.joined(separator: ", "))
            }
            matrix[row][column] += 1
        }

        self.labels = classes
        self.accuracy = report.accuracy
        self.macroF1 = report.macroF1
        self.report = report
        self.confusionMatrix = matrix
    }

    /// Scores predictions for labeled texts, such as a PhraseBank dev split.
    ///
    /// - Throws: `EvaluationArgumentError` as `init(gold:predicted:labels:)` does.
    public init(records: [LabeledText], predicted: [String], labels: [String]? = nil) throws {
        try self.init(gold: records.map(\.label), predicted: predicted, labels: labels)
    }
}

// MARK: - Text layout

extension SentimentEvaluation {
    /// Formats the classification report (scikit-learn layout) followed by the confusion
    /// matrix, for example:
    ///
    /// ```
    /// confusion matrix (rows: gold, columns: predicted)
    ///           negative  neutral positive
    /// negative         5        1        0
    /// ```
    public func formatted(digits: Int = 2) -> String {
        var text = report.formatted(digits: digits)
        text += "\nconfusion matrix (rows: gold, columns: predicted)\n"

        let labelWidth = labels.map { $0.unicodeScalars.count }.max() ?? 0
        let countWidth = max(labelWidth, confusionMatrix.flatMap { $0 }.map { String($0).count }.max() ?? 1)
        let columnHeadings = labels.map { " " + padLeft($0, toWidth: countWidth, countingUTF8Bytes: false) }
        text += padLeft("", toWidth: labelWidth, countingUTF8Bytes: false) + columnHeadings.joined() + "\n"
        for (label, row) in zip(labels, confusionMatrix) {
            let cells = row.map { " " + padLeft(String($0), toWidth: countWidth, countingUTF8Bytes: false) }
            text += padLeft(label, toWidth: labelWidth, countingUTF8Bytes: false) + cells.joined() + "\n"
        }
        return text
    }
}
