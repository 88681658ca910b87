// MARK: - Averaged perceptron

/// A multiclass perceptron over named binary features whose result is the average of its
/// weights over every training step, which generalizes far better than the last weights.
///
/// Averaging is lazy, as in Collins (2002) and Honnibal's tagger: each weight keeps the sum of
/// its past values and the step of its last change, so an update costs O(features), not
/// O(model size).
struct AveragedPerceptron {
    let classCount: Int
    private(set) var names: [String] = []
    private var index: [String: Int32] = [:]
    private var weights: [Float] = []
    /// The sum of each weight's value over the steps before `stamps`.
    private var totals: [Double] = []
    /// The step at which each weight last changed.
    private var stamps: [Int] = []
    /// The number of training instances seen, the divisor of the average.
    private(set) var step = 0

    init(classCount: Int) {
        self.classCount = classCount
    }

    var rowCount: Int { names.count }

    // MARK: Features

    /// Returns the row of `name`, adding a zero row when the feature is new.
    mutating func row(for name: String) -> Int32 {
        if let row = index[name] { return row }
        let row = Int32(names.count)
        index[name] = row
        names.append(name)
        weights.append(contentsOf: repeatElement(0, count: classCount))
        totals.append(contentsOf: repeatElement(0, count: classCount))
        stamps.append(contentsOf: repeatElement(0, count: classCount))
        return row
    }

    // MARK: Training

    /// Adds the current (not averaged) weights of `rows` to `scores`.
    func accumulate(rows: some Sequence<Int32>, into scores: inout [Float]) {
        for row in rows where row >= 0 {
            let base = Int(row) * classCount
            for label in 0 ..< classCount { scores[label] += weights[base + label] }
        }
    }

    /// Counts one training instance. Call once per instance, before `update`.
    mutating func advance() {
        step += 1
    }

    /// Moves the weights of `rows` towards `truth` and away from `guess` when they differ.
    mutating func update(rows: some Sequence<Int32>, truth: Int, guess: Int) {
        guard truth != guess else { return }
        for row in rows where row >= 0 {
            let base = Int(row) * classCount
            change(base + truth, by: 1)
            change(base + guess, by: -1)
        }
    }

    private mutating func change(_ position: Int, by amount: Float) {
        totals[position] += Double(step - stamps[position]) * Double(weights[position])
        stamps[position] = step
        weights[position] += amount
    }

    // MARK: Result

    /// Returns the averaged weights, without the features whose averaged weights are all
    /// below `pruneThreshold` in magnitude.
    func averaged(pruneThreshold: Float) -> FeatureWeights {
        let divisor = Double(max(step, 1))
        var averages = [Float](repeating: 0, count: weights.count)
        for position in weights.indices {
            let total = totals[position] + Double(step - stamps[position]) * Double(weights[position])
            averages[position] = Float(total / divisor)
        }
        return FeatureWeights(classCount: classCount, names: names, weights: averages).pruned(threshold: pruneThreshold)
    }
}
