// MARK: - Scores

/// Precision, recall, F1 and support of one class, as in a row of scikit-learn's
/// `classification_report`. Values are fractions in 0...1.
public struct ClassScores: Codable, Equatable, Sendable {
    public var label: String
    /// 0 when the class was never predicted (scikit-learn's `zero_division=0`).
    public var precision: Double
    /// 0 when the class never occurs in the gold labels.
    public var recall: Double
    /// `2·TP / (gold + predicted)`, 0 when both counts are 0.
    public var f1Score: Double
    /// The number of gold samples of the class.
    public var support: Int
}

/// An averaged row of a classification report. Values are fractions in 0...1.
public struct AverageScores: Codable, Equatable, Sendable {
    public var precision: Double
    public var recall: Double
    public var f1Score: Double
    /// The summed support of the reported classes.
    public var support: Int
}

// MARK: - Report

/// A per-class report computed as scikit-learn 1.x's `classification_report` computes it
/// for single-label input, with `zero_division=0`.
///
/// Use it for token-level NER scores (one sample per token, labels such as `B-PER`) and for
/// sentence classification.
public struct ClassificationReport: Codable, Equatable, Sendable {
    /// One row per reported label, in the order of the `labels` argument, or sorted by code
    /// point when it was `nil`.
    public var classes: [ClassScores]
    /// The fraction of samples whose predicted label equals the gold label, over all samples
    /// whatever `labels` contains.
    public var accuracy: Double
    /// Scores from the true positive, predicted and gold counts summed over the reported
    /// labels.
    public var microAverage: AverageScores
    /// The unweighted mean over the reported labels.
    public var macroAverage: AverageScores
    /// The mean over the reported labels weighted by support.
    public var weightedAverage: AverageScores
    /// Whether the reported labels include every label of the gold and predicted data. Then
    /// the micro average F1 equals the accuracy, and scikit-learn prints an `accuracy` row
    /// in place of the `micro avg` row.
    public var microAverageIsAccuracy: Bool

    /// Computes the report.
    ///
    /// - Parameters:
    ///   - gold: The gold label of each sample.
    ///   - predicted: The predicted label of each sample, in the same order.
    ///   - labels: The labels to report, or `nil` for every label in `gold` and `predicted`.
    ///     Samples of other labels still count as false positives and false negatives of the
    ///     reported labels. Pass the entity tags without `O` for the usual token-level NER
    ///     report.
    /// - Throws: `EvaluationArgumentError` when the arrays differ in length or are empty, or
    ///   when `labels` is empty or contains a label twice.
    public init(gold: [String], predicted: [String], labels: [String]? = nil) throws {
        guard gold.count == predicted.count else {
            throw EvaluationArgumentError(
                "got \(gold.count) gold labels but \(predicted.count) predicted labels; they must match one to one")
        }
        guard !gold.isEmpty else {
            throw EvaluationArgumentError("cannot compute a classification report without samples")
        }
        let presentLabels = Set(gold).union(predicted)
        let reportedLabels = labels ?? presentLabels.sorted(by: precedesInByteOrder)
        try validateLabelList(reportedLabels)

        let counts = LabelCounts(gold: gold, predicted: predicted)
        classes = reportedLabels.map { counts.scores(for: $0) }
        accuracy = Double(counts.correctCount) / Double(gold.count)
        microAverage = counts.microAverage(over: reportedLabels)
        macroAverage = averageScores(classes, weightedBySupport: false)
        weightedAverage = averageScores(classes, weightedBySupport: true)
        microAverageIsAccuracy = Set(reportedLabels).isSuperset(of: presentLabels)
    }

    /// The macro-averaged F1, the usual headline number for sentiment classification.
    public var macroF1: Double { macroAverage.f1Score }
}

// MARK: - Text layout

extension ClassificationReport {
    /// Formats the report with the layout and rounding of scikit-learn's
    /// `classification_report(..., digits: digits)`.
    ///
    /// The rows after the classes are `accuracy` (or `micro avg` when the reported labels
    /// leave some out), `macro avg` and `weighted avg`. With `includesMicroAverage`, a
    /// `micro avg` row follows the `accuracy` row, which scikit-learn never prints.
    public func formatted(digits: Int = 2, includesMicroAverage: Bool = false) -> String {
        let headings = classes.map(\.label) + ["weighted avg"]
        let width = max(headings.map { $0.unicodeScalars.count }.max() ?? 0, digits)

        func cell(_ text: String) -> String {
            " " + padLeft(text, toWidth: 9, countingUTF8Bytes: false)
        }
        func row(_ heading: String, _ precision: Double, _ recall: Double, _ f1: Double, _ support: Int) -> String {
            padLeft(heading, toWidth: width, countingUTF8Bytes: false) + " "
                + cell(formatFixed(precision, width: 0, precision: digits))
                + cell(formatFixed(recall, width: 0, precision: digits))
                + cell(formatFixed(f1, width: 0, precision: digits))
                + cell(String(support)) + "\n"
        }

        var text = padLeft("", toWidth: width, countingUTF8Bytes: false) + " "
        text += ["precision", "recall", "f1-score", "support"].map(cell).joined() + "\n\n"
        for scores in classes {
            text += row(scores.label, scores.precision, scores.recall, scores.f1Score, scores.support)
        }
        text += "\n"

        let micro = microAverage
        if microAverageIsAccuracy {
            text += padLeft("accuracy", toWidth: width, countingUTF8Bytes: false) + " "
                + cell("") + cell("") + cell(formatFixed(micro.f1Score, width: 0, precision: digits))
                + cell(String(micro.support)) + "\n"
        }
        if !microAverageIsAccuracy || includesMicroAverage {
            text += row("micro avg", micro.precision, micro.recall, micro.f1Score, micro.support)
        }
        text += row("macro avg", macroAverage.precision, macroAverage.recall, macroAverage.f1Score, macroAverage.support)
        text += row(
            "weighted avg", weightedAverage.precision, weightedAverage.recall, weightedAverage.f1Score,
            weightedAverage.support)
        return text
    }
}

// MARK: - Counting

/// True positive, predicted and gold counts per label.
struct LabelCounts {
    private(set) var truePositives: [String: Int] = [:]
    private(set) var predictedCounts: [String: Int] = [:]
    private(set) var goldCounts: [String: Int] = [:]
    private(set) var correctCount = 0

    init(gold: [String], predicted: [String]) {
        for (goldLabel, predictedLabel) in zip(gold, predicted) {
            goldCounts[goldLabel, default: 0] += 1
            predictedCounts[predictedLabel, default: 0] += 1
            if goldLabel == predictedLabel {
                truePositives[goldLabel, default: 0] += 1
                correctCount += 1
            }
        }
    }

    func scores(for label: String) -> ClassScores {
        let truePositive = truePositives[label] ?? 0
        let predicted = predictedCounts[label] ?? 0
        let gold = goldCounts[label] ?? 0
        return ClassScores(
            label: label,
            precision: fraction(truePositive, of: predicted),
            recall: fraction(truePositive, of: gold),
            f1Score: fraction(2 * truePositive, of: gold + predicted),
            support: gold)
    }

    func microAverage(over labels: [String]) -> AverageScores {
        let truePositive = labels.reduce(0) { $0 + (truePositives[$1] ?? 0) }
        let predicted = labels.reduce(0) { $0 + (predictedCounts[$1] ?? 0) }
        let gold = labels.reduce(0) { $0 + (goldCounts[$1] ?? 0) }
        return AverageScores(
            precision: fraction(truePositive, of: predicted),
            recall: fraction(truePositive, of: gold),
            f1Score: fraction(2 * truePositive, of: gold + predicted),
            support: gold)
    }
}

// MARK: - Helpers

/// Returns `part / whole`, or 0 when `whole` is 0 (scikit-learn's `zero_division=0`).
private func fraction(_ part: Int, of whole: Int) -> Double {
    whole > 0 ? Double(part) / Double(whole) : 0
}

/// Averages the rows, weighted by support or not. With all supports 0, the weighted
/// average is 0.
private func averageScores(_ rows: [ClassScores], weightedBySupport: Bool) -> AverageScores {
    let support = rows.reduce(0) { $0 + $1.support }
    func mean(_ value: (ClassScores) -> Double) -> Double {
        if weightedBySupport {
            guard support > 0 else {
                return 0
            }
            return rows.reduce(0.0) { $0 + value($1) * Double($1.support) } / Double(support)
        }
        return rows.reduce(0.0) { $0 + value($1) } / Double(rows.count)
    }
    return AverageScores(
        precision: mean(\.precision), recall: mean(\.recall), f1Score: mean(\.f1Score), support: support)
}

/// - Throws: `EvaluationArgumentError` when `labels` is empty or has duplicates.
func validateLabelList(_ labels: [String]) throws {
    guard !labels.isEmpty else {
        throw EvaluationArgumentError("the label list is empty; pass at least one label or nil for all labels")
    }
    var seen: Set<String> = []
    for label in labels where !seen.insert(label).inserted {
        throw EvaluationArgumentError("the label list contains '\(label)' twice")
    }
}
