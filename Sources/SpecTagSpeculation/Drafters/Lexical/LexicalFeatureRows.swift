import SpecTagTokenization

// MARK: - Previous-tag rows

/// The rows of the features that involve the previous tags, indexed by integers so that
/// drafting from any accepted prefix does no string work.
///
/// A row of -1 marks a feature the model does not have.
struct LexicalPreviousTagRows: Sendable {
    /// Number of values a previous tag can take: the tags and the start value.
    let values: Int
    /// `previous[t]`: the row of "previous tag t".
    let previous: [Int32]
    /// `previousPair[t2 * values + t1]`: the row of "tags t2, t1 before".
    let previousPair: [Int32]
    /// `previousShape[s * values + t]`: the row of "previous tag t, word shape s", with `s` the
    /// index in `WordShape.allCases`.
    let previousShape: [Int32]
    /// The rows of "previous tag t, this lowercased word", indexed by `t`, for every word that
    /// has at least one such feature.
    let previousWord: [String: [Int32]]

    /// Resolves the rows with `row`, which returns nil for a feature the model lacks, and
    /// collects `previousWord` from the feature names when given them.
    init(values: Int, featureNames: [String] = [], row: (String) -> Int32?) {
        self.values = values
        previous = (0 ..< values).map { row(LexicalFeatures.previousTag($0)) ?? -1 }
        var pairs: [Int32] = []
        for secondPrevious in 0 ..< values {
            for previous in 0 ..< values {
                pairs.append(row(LexicalFeatures.previousTags(secondPrevious, previous)) ?? -1)
            }
        }
        previousPair = pairs
        var shapes: [Int32] = []
        for shape in WordShape.allCases {
            for previous in 0 ..< values {
                shapes.append(row(LexicalFeatures.previousTagAndShape(previous, shape: shape)) ?? -1)
            }
        }
        previousShape = shapes
        var words: [String: [Int32]] = [:]
        for name in featureNames {
            guard let parsed = LexicalFeatures.parsePreviousTagAndWord(name), (0 ..< values).contains(parsed.previous),
                let found = row(name)
            else { continue }
            words[parsed.lowercased, default: [Int32](repeating: -1, count: values)][parsed.previous] = found
        }
        previousWord = words
    }
}

// MARK: - Sentence rows

/// The feature rows of one sentence, resolved against a model's feature index once, so that
/// each draft only adds up weights.
struct LexicalSentenceRows {
    let wordCount: Int
    /// `staticRows[staticStarts[i] ..< staticStarts[i + 1]]` are word `i`'s static rows.
    let staticStarts: [Int]
    let staticRows: [Int32]
    /// The `WordShape.allCases` index of each word's shape.
    let shapeIndices: [Int]
    /// Each word's "previous tag, this word" rows by previous tag, or nil when it has none.
    let previousWordRows: [[Int32]?]

    /// Resolves a sentence's static features with `row`, which returns nil for an unknown one.
    init(sentence: LexicalFeatures.Sentence, staticFeatures: [[String]], previousTagRows: LexicalPreviousTagRows, row: (String) -> Int32?) {
        wordCount = sentence.words.count
        var starts = [0]
        var rows: [Int32] = []
        for features in staticFeatures {
            for name in features {
                if let found = row(name) { rows.append(found) }
            }
            starts.append(rows.count)
        }
        staticStarts = starts
        staticRows = rows
        shapeIndices = sentence.shapeIndices
        previousWordRows = sentence.lowercased.map { previousTagRows.previousWord[$0] }
    }
}
