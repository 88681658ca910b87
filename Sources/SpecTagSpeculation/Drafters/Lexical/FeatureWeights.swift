// MARK: - Feature weights

/// A linear model over named binary features: one row of `classCount` weights per feature.
///
/// Features are strings at training time and when a sentence's features are first computed.
/// Scoring then works on row numbers only, so the inner loop reads a dense `[row][class]`
/// table and allocates nothing.
struct FeatureWeights: Sendable, Equatable {
    let classCount: Int
    /// The feature name of each row.
    let names: [String]
    /// `weights[row * classCount + class]`.
    let weights: [Float]
    /// The row of each feature name.
    let index: [String: Int32]

    /// Creates a table from rows of names and weights.
    ///
    /// - Important: `weights.count` must be `names.count * classCount` and names must be unique;
    ///   callers that read untrusted input check this first.
    init(classCount: Int, names: [String], weights: [Float]) {
        precondition(weights.count == names.count * classCount, "one weight row per feature name")
        self.classCount = classCount
        self.names = names
        self.weights = weights
        var index: [String: Int32] = [:]
        index.reserveCapacity(names.count)
        for (row, name) in names.enumerated() { index[name] = Int32(row) }
        self.index = index
    }

    var rowCount: Int { names.count }

    /// Returns the row of `name`, or nil when the model has no such feature.
    func row(_ name: String) -> Int32? {
        index[name]
    }

    /// Adds the weights of one row to `scores`; a negative row adds nothing.
    func accumulate(row: Int32, into scores: inout [Float]) {
        guard row >= 0 else { return }
        let base = Int(row) * classCount
        for label in 0 ..< classCount { scores[label] += weights[base + label] }
    }

    /// Adds the rows of every feature in `rows` (negative rows are skipped) to `scores`.
    func accumulate(rows: some Sequence<Int32>, into scores: inout [Float]) {
        weights.withUnsafeBufferPointer { table in
            scores.withUnsafeMutableBufferPointer { output in
                for row in rows where row >= 0 {
                    let base = Int(row) * classCount
                    for label in 0 ..< classCount { output[label] += table[base + label] }
                }
            }
        }
    }
}

// MARK: - Pruning

extension FeatureWeights {
    /// Returns a copy without weights whose magnitude is below `threshold`, dropping rows that
    /// become all zero.
    func pruned(threshold: Float) -> FeatureWeights {
        var keptNames: [String] = []
        var keptWeights: [Float] = []
        for row in 0 ..< rowCount {
            let values = weights[row * classCount ..< (row + 1) * classCount].map { abs($0) < threshold ? 0 : $0 }
            guard values.contains(where: { $0 != 0 }) else { continue }
            keptNames.append(names[row])
            keptWeights.append(contentsOf: values)
        }
        return FeatureWeights(classCount: classCount, names: keptNames, weights: keptWeights)
    }
}

// MARK: - Serialization

extension FeatureWeights {
    /// The maximum class count, because each row stores its non-zero classes as a 16-bit mask.
    static let maximumClassCount = 16

    /// Writes the row count, then for each row its name, a 16-bit mask of its non-zero classes
    /// and those weights as Float32.
    func write(to writer: inout LexicalByteWriter) {
        writer.appendVarint(rowCount)
        for row in 0 ..< rowCount {
            writer.append(names[row])
            let values = weights[row * classCount ..< (row + 1) * classCount]
            var mask: UInt16 = 0
            for (label, value) in values.enumerated() where value != 0 { mask |= 1 << UInt16(label) }
            writer.append(mask)
            for value in values where value != 0 { writer.append(value) }
        }
    }

    /// Reads a table that `write(to:)` wrote.
    ///
    /// - Throws: `LexicalByteReader.Failure` when the data ends early, a mask names a class
    ///   beyond `classCount`, or a feature name repeats.
    static func read(from reader: inout LexicalByteReader, classCount: Int, section: String) throws -> FeatureWeights {
        // A row takes at least a 1-byte name length and a 2-byte mask.
        let rowCount = try reader.readCount("\(section) rows", minimumBytesEach: 3)
        var names: [String] = []
        names.reserveCapacity(rowCount)
        var weights = [Float](repeating: 0, count: rowCount * classCount)
        var seen = Set<String>()
        for row in 0 ..< rowCount {
            let name = try reader.readString("\(section) feature name")
            guard seen.insert(name).inserted else {
                throw LexicalByteReader.Failure(problem: "repeats the \(section) feature '\(name)'")
            }
            let mask = try reader.readUInt16("\(section) weight mask")
            guard Int(mask) >> classCount == 0 else {
                throw LexicalByteReader.Failure(
                    problem: "has a \(section) weight for a class beyond the \(classCount) classes (feature '\(name)')")
            }
            for label in 0 ..< classCount where mask & (1 << UInt16(label)) != 0 {
                weights[row * classCount + label] = try reader.readFloat("\(section) weights")
            }
            names.append(name)
        }
        return FeatureWeights(classCount: classCount, names: names, weights: weights)
    }
}
