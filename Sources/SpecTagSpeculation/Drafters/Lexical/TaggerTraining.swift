import Foundation

// MARK: - Tagger training

/// One training run of the lexical tagger: the data with its feature rows resolved, the
/// perceptron, and the lexical resources (gazetteer, lexicon, transitions) of the result.
struct TaggerTraining {
    typealias Sentence = (words: [String], tags: [Int])

    let scheme: LexicalTagScheme
    let sentences: [Sentence]
    let configuration: LexicalDrafterTrainer.Configuration
    /// The gazetteer of all sentences, which the trained drafter keeps.
    let gazetteer: Gazetteer
    let lexicon: WordLexicon
    let allowedTransitions: [Bool]
    var perceptron: AveragedPerceptron
    /// `tokenRows[s][tokenStarts[s][i] ..< tokenStarts[s][i + 1]]`: every feature row of word
    /// `i` of sentence `s`, given its correct previous tags.
    private var tokenRows: [[Int32]] = []
    private var tokenStarts: [[Int]] = []

    init(scheme: LexicalTagScheme, sentences: [Sentence], configuration: LexicalDrafterTrainer.Configuration) {
        self.scheme = scheme
        self.sentences = sentences
        self.configuration = configuration
        gazetteer = Self.makeGazetteer(sentences, scheme: scheme, maximumWords: configuration.maximumEntityWords)
        // NOTE: unlike the gazetteer, the lexicon includes each training sentence's own words, so
        // its "unseen" class never fires in training and carries no learned weight when drafting.
        lexicon = WordLexicon(sentences: sentences.map(\.words))
        allowedTransitions = Self.observedTransitions(sentences, scheme: scheme)
        perceptron = AveragedPerceptron(classCount: scheme.tagCount)
        resolveRows()
    }

    private static func makeGazetteer(_ sentences: some Sequence<Sentence>, scheme: LexicalTagScheme, maximumWords: Int) -> Gazetteer {
        Gazetteer(sentences: sentences, types: scheme.entityTypes, tagTypes: scheme.tagTypes, maximumWords: maximumWords)
    }

    /// Marks every (previous tag, tag) pair of the training tags as allowed, the start value
    /// before each first tag included.
    private static func observedTransitions(_ sentences: [Sentence], scheme: LexicalTagScheme) -> [Bool] {
        let tagCount = scheme.tagCount
        var allowed = [Bool](repeating: false, count: (tagCount + 1) * tagCount)
        for sentence in sentences {
            var previous = scheme.startTag
            for tag in sentence.tags {
                allowed[previous * tagCount + tag] = true
                previous = tag
            }
        }
        return allowed
    }

    /// Computes every training token's feature rows once, adding rows to the perceptron.
    private mutating func resolveRows() {
        let folds = configuration.gazetteerFolds
        let foldGazetteers: [Gazetteer] = folds <= 1 ? [gazetteer] : (0 ..< folds).map { fold in
            Self.makeGazetteer(
                sentences.enumerated().lazy.filter { $0.offset % folds != fold }.map { $0.element },
                scheme: scheme, maximumWords: configuration.maximumEntityWords)
        }
        let start = scheme.startTag
        let values = scheme.tagCount + 1
        var perceptron = self.perceptron
        let transitions = LexicalPreviousTagRows(values: values) { perceptron.row(for: $0) }
        tokenRows.reserveCapacity(sentences.count)
        tokenStarts.reserveCapacity(sentences.count)
        for (index, sentence) in sentences.enumerated() {
            let prepared = LexicalFeatures.Sentence(words: sentence.words)
            let shapeIndices = prepared.shapeIndices
            let features = LexicalFeatures.staticFeatures(
                of: prepared, gazetteer: foldGazetteers[index % foldGazetteers.count], lexicon: lexicon)
            var rows: [Int32] = []
            var starts = [0]
            for position in sentence.words.indices {
                let previous = position >= 1 ? sentence.tags[position - 1] : start
                let secondPrevious = position >= 2 ? sentence.tags[position - 2] : start
                for name in features[position] { rows.append(perceptron.row(for: name)) }
                rows.append(transitions.previous[previous])
                rows.append(transitions.previousPair[secondPrevious * values + previous])
                rows.append(perceptron.row(for: LexicalFeatures.previousTagAndWord(previous, lowercased: prepared.lowercased[position])))
                rows.append(transitions.previousShape[shapeIndices[position] * values + previous])
                starts.append(rows.count)
            }
            tokenRows.append(rows)
            tokenStarts.append(starts)
        }
        self.perceptron = perceptron
    }

    // MARK: Epochs

    /// Trains for the configured epochs and returns the drafter with the final weights.
    mutating func train(
        heldOut: [Sentence], sentiment: FeatureWeights, generator: inout LexicalShuffleGenerator,
        progress: (LexicalDrafterTrainer.Event) -> Void
    ) -> (drafter: LexicalDrafter, lastReport: LexicalDrafterTrainer.EpochReport?) {
        var order = Array(sentences.indices)
        var lastReport: LexicalDrafterTrainer.EpochReport?
        for epoch in 1 ... configuration.epochs {
            let started = Date()
            order.shuffle(using: &generator)
            var correct = 0
            var total = 0
            for index in order {
                correct += trainSentence(index)
                total += sentences[index].words.count
            }
            var report = LexicalDrafterTrainer.EpochReport(
                task: .tagger, epoch: epoch, epochs: configuration.epochs,
                trainingAccuracy: Double(correct) / Double(max(total, 1)), heldOutAccuracy: nil,
                heldOutGreedyAccuracy: nil, seconds: 0)
            if !heldOut.isEmpty {
                let drafter = makeDrafter(pruneThreshold: 0, sentiment: sentiment)
                let scores = drafter.tagAccuracy(onIDs: heldOut)
                report.heldOutAccuracy = scores.nextTag
                report.heldOutGreedyAccuracy = scores.greedy
            }
            report.seconds = Date().timeIntervalSince(started)
            lastReport = report
            progress(.epoch(report))
        }
        return (makeDrafter(pruneThreshold: configuration.pruneThreshold, sentiment: sentiment), lastReport)
    }

    /// Runs one perceptron step per word of a sentence; returns the number of correct guesses.
    private mutating func trainSentence(_ index: Int) -> Int {
        let tagCount = scheme.tagCount
        let rows = tokenRows[index]
        let starts = tokenStarts[index]
        let tags = sentences[index].tags
        var scores = [Float](repeating: 0, count: tagCount)
        var correct = 0
        for position in tags.indices {
            let previous = position >= 1 ? tags[position - 1] : scheme.startTag
            let active = rows[starts[position] ..< starts[position + 1]]
            perceptron.advance()
            for tag in 0 ..< tagCount { scores[tag] = 0 }
            perceptron.accumulate(rows: active, into: &scores)
            var guess = -1
            for tag in 0 ..< tagCount where allowedTransitions[previous * tagCount + tag] {
                if guess < 0 || scores[tag] > scores[guess] { guess = tag }
            }
            if guess == tags[position] { correct += 1 }
            perceptron.update(rows: active, truth: tags[position], guess: guess)
        }
        return correct
    }

    private func makeDrafter(pruneThreshold: Float, sentiment: FeatureWeights) -> LexicalDrafter {
        LexicalDrafter(
            scheme: scheme, sentimentLabels: configuration.sentimentLabels,
            tagger: perceptron.averaged(pruneThreshold: pruneThreshold), allowedTransitions: allowedTransitions,
            sentiment: sentiment, gazetteer: gazetteer, lexicon: lexicon, metadata: [:])
    }
}
