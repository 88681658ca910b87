import SpecTagModels

// MARK: - Lexical drafter

/// Drafts from the words alone, without the encoder: an averaged-perceptron tagger over word,
/// affix, shape, context, gazetteer and previous-tag features, and a bag-of-words sentiment
/// classifier.
///
/// The tagger is greedy left to right. Each draft continues from the tags the target accepted,
/// so its previous-tag features see the target's tags first and then its own proposals.
/// `LexicalDrafterTrainer` trains one, and `init(contentsOf:)` loads a saved one.
public struct LexicalDrafter: Drafter {
    public let name = "lexical"

    /// The tags of docs/model-format.md; a tag's index is its class id.
    public static let defaultTags = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
    /// The sentiment labels of docs/model-format.md; a label's index is its class id.
    public static let defaultSentimentLabels = ["negative", "neutral", "positive"]

    /// The tag names; the drafter proposes their indices.
    public var tags: [String] { scheme.tags }
    public let sentimentLabels: [String]
    /// Training settings and scores that the trainer recorded, saved with the drafter.
    public let metadata: [String: String]

    let scheme: LexicalTagScheme
    let tagger: FeatureWeights
    /// `allowedTransitions[previous * tagCount + tag]`: whether `tag` may follow `previous`
    /// (the start value included), as seen in the training tags.
    let allowedTransitions: [Bool]
    let sentiment: FeatureWeights
    let gazetteer: Gazetteer
    let lexicon: WordLexicon
    let previousTagRows: LexicalPreviousTagRows

    init(
        scheme: LexicalTagScheme, sentimentLabels: [String], tagger: FeatureWeights, allowedTransitions: [Bool],
        sentiment: FeatureWeights, gazetteer: Gazetteer, lexicon: WordLexicon, metadata: [String: String]
    ) {
        precondition(allowedTransitions.count == (scheme.tagCount + 1) * scheme.tagCount, "one transition flag per tag pair")
        self.scheme = scheme
        self.sentimentLabels = sentimentLabels
        self.tagger = tagger
        self.allowedTransitions = allowedTransitions
        self.sentiment = sentiment
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.metadata = metadata
        previousTagRows = LexicalPreviousTagRows(values: scheme.tagCount + 1, featureNames: tagger.names, row: tagger.row)
    }

    // MARK: Drafting

    public func makeSession(for sentence: DraftingSentence) -> any DraftSession {
        makeSession(words: sentence.words)
    }

    /// Starts drafting a sentence given as words; the encoder states are not needed.
    public func makeSession(words: [String]) -> LexicalDraftSession {
        let prepared = LexicalFeatures.Sentence(words: words)
        let features = LexicalFeatures.staticFeatures(of: prepared, gazetteer: gazetteer, lexicon: lexicon)
        let rows = LexicalSentenceRows(sentence: prepared, staticFeatures: features, previousTagRows: previousTagRows, row: tagger.row)
        return LexicalDraftSession(drafter: self, words: words, rows: rows)
    }

    /// Tags a sentence on its own, greedily from the first word: the drafter as a tagger.
    public func tagIDs(for words: [String]) -> [Int] {
        var session = makeSession(words: words)
        return Array(session.draft(acceptedTags: [], count: words.count).prefix(words.count))
    }

    /// Returns the sentiment class id of a sentence.
    public func sentimentID(for words: [String]) -> Int {
        var scores = [Float](repeating: 0, count: sentiment.classCount)
        sentiment.accumulate(rows: SentimentFeatures.names(of: words).compactMap(sentiment.row), into: &scores)
        return argmax(scores)
    }

    // MARK: Compatibility

    /// Checks that the drafter's class ids mean what a target model's mean.
    ///
    /// - Throws: `LexicalDrafterError.incompatibleLabels` when the tag or sentiment lists differ.
    public func checkCompatibility(tags targetTags: [String], sentimentLabels targetLabels: [String]) throws {
        guard targetTags == tags else {
            throw LexicalDrafterError.incompatibleLabels(kind: "tags", drafter: tags, target: targetTags)
        }
        guard targetLabels == sentimentLabels else {
            throw LexicalDrafterError.incompatibleLabels(kind: "sentiment labels", drafter: sentimentLabels, target: targetLabels)
        }
    }

    /// The number of tagger and sentiment features with a non-zero weight.
    public var featureCounts: (tagger: Int, sentiment: Int) {
        (tagger.rowCount, sentiment.rowCount)
    }
}

// MARK: - Session

/// One sentence's drafting state: the feature rows of every word, computed once.
public struct LexicalDraftSession: DraftSession {
    let drafter: LexicalDrafter
    let words: [String]
    let rows: LexicalSentenceRows
    /// The sentiment class, computed on the first draft that reaches the sentiment slot.
    private var sentiment: Int?
    private var scores: [Float]

    init(drafter: LexicalDrafter, words: [String], rows: LexicalSentenceRows) {
        self.drafter = drafter
        self.words = words
        self.rows = rows
        scores = [Float](repeating: 0, count: drafter.scheme.tagCount)
    }

    /// Proposes the tags of the words after `acceptedTags`, greedily, then the sentiment.
    ///
    /// A tag id in `acceptedTags` outside the tag list counts as the start of the sentence.
    public mutating func draft(acceptedTags: [Int], count: Int) -> [Int] {
        let wordCount = rows.wordCount
        guard count > 0, acceptedTags.count <= wordCount else { return [] }
        let tagCount = drafter.scheme.tagCount
        let start = drafter.scheme.startTag
        func previousValue(_ tag: Int?) -> Int {
            guard let tag, tag >= 0, tag < tagCount else { return start }
            return tag
        }
        var previous = previousValue(acceptedTags.last)
        var secondPrevious = acceptedTags.count >= 2 ? previousValue(acceptedTags[acceptedTags.count - 2]) : start

        var proposals: [Int] = []
        proposals.reserveCapacity(count)
        var position = acceptedTags.count
        while proposals.count < count, position < wordCount {
            let tag = bestTag(at: position, previous: previous, secondPrevious: secondPrevious)
            proposals.append(tag)
            secondPrevious = previous
            previous = tag
            position += 1
        }
        if proposals.count < count {
            proposals.append(sentimentClass())
        }
        return proposals
    }

    /// Scores every tag at `position` and returns the best one allowed after `previous`.
    private mutating func bestTag(at position: Int, previous: Int, secondPrevious: Int) -> Int {
        let tagCount = drafter.scheme.tagCount
        let tagger = drafter.tagger
        let dynamic = drafter.previousTagRows
        let values = dynamic.values
        for tag in 0 ..< tagCount { scores[tag] = 0 }
        tagger.accumulate(rows: rows.staticRows[rows.staticStarts[position] ..< rows.staticStarts[position + 1]], into: &scores)
        tagger.accumulate(row: dynamic.previous[previous], into: &scores)
        tagger.accumulate(row: dynamic.previousPair[secondPrevious * values + previous], into: &scores)
        tagger.accumulate(row: dynamic.previousShape[rows.shapeIndices[position] * values + previous], into: &scores)
        if let wordRows = rows.previousWordRows[position] {
            tagger.accumulate(row: wordRows[previous], into: &scores)
        }
        var best = -1
        for tag in 0 ..< tagCount where drafter.allowedTransitions[previous * tagCount + tag] {
            if best < 0 || scores[tag] > scores[best] { best = tag }
        }
        return best < 0 ? argmax(scores) : best
    }

    private mutating func sentimentClass() -> Int {
        if let sentiment { return sentiment }
        let computed = drafter.sentimentID(for: words)
        sentiment = computed
        return computed
    }
}
