import Foundation
import SpecTagModels

// MARK: - Trainer

/// Trains a `LexicalDrafter` from tagged and sentiment-labelled sentences.
///
/// The tagger is an averaged perceptron trained with the correct previous tags as input
/// (teacher forcing). That is the drafting situation that matters: a draft position counts
/// only when every position before it was accepted, so its previous tags are the target's.
/// Both models train for `Configuration.epochs` passes over the data, shuffled with a fixed
/// seed, so equal inputs give equal drafters.
public struct LexicalDrafterTrainer: Sendable {
    /// A sentence with one BIO tag name per word.
    public typealias NERSentence = (words: [String], tags: [String])
    /// A sentence with its sentiment label name.
    public typealias SentimentSentence = (words: [String], label: String)

    public struct Configuration: Sendable {
        /// Passes over the training data, for the tagger and the sentiment classifier each.
        public var epochs: Int
        /// Seed of the shuffling order.
        public var seed: UInt64
        /// Averaged weights with a smaller magnitude are dropped, to shrink the file.
        public var pruneThreshold: Float
        /// The tagger's gazetteer features of a training sentence come from a gazetteer built
        /// without the sentence's fold, so that the tagger learns how far to trust a gazetteer
        /// match on unseen text. 1 uses one gazetteer of all sentences.
        public var gazetteerFolds: Int
        /// Entities with more words are left out of the gazetteer.
        public var maximumEntityWords: Int
        /// Tag names in class-id order; they must match the target model's.
        public var tags: [String]
        /// Sentiment label names in class-id order; they must match the target model's.
        public var sentimentLabels: [String]

        public init(
            epochs: Int = 8, seed: UInt64 = 1, pruneThreshold: Float = 1e-3, gazetteerFolds: Int = 4,
            maximumEntityWords: Int = 6, tags: [String] = LexicalDrafter.defaultTags,
            sentimentLabels: [String] = LexicalDrafter.defaultSentimentLabels
        ) {
            self.epochs = epochs
            self.seed = seed
            self.pruneThreshold = pruneThreshold
            self.gazetteerFolds = gazetteerFolds
            self.maximumEntityWords = maximumEntityWords
            self.tags = tags
            self.sentimentLabels = sentimentLabels
        }
    }

    /// The model that an epoch report is about.
    public enum Task: String, Sendable {
        case tagger
        case sentiment
    }

    /// The scores after one training epoch, computed with the averaged weights.
    public struct EpochReport: Sendable {
        public var task: Task
        public var epoch: Int
        public var epochs: Int
        /// Accuracy on the training data during the epoch, with the weights of the moment.
        public var trainingAccuracy: Double
        /// Held-out accuracy: for the tagger, of each next tag given the correct previous tags
        /// (what draft acceptance depends on); for sentiment, of the label. Nil without
        /// held-out data.
        public var heldOutAccuracy: Double?
        /// Held-out tag accuracy when the tagger runs on its own from the first word.
        public var heldOutGreedyAccuracy: Double?
        public var seconds: Double
    }

    /// Progress of a training run.
    public enum Event: Sendable {
        /// The target model labelled `done` of `total` sentences for distillation.
        case labelled(done: Int, total: Int)
        case epoch(EpochReport)
    }

    public let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    // MARK: Training

    /// Trains a drafter on tagged and labelled sentences; sentences without words are skipped.
    ///
    /// - Parameters:
    ///   - heldOutNER, heldOutSentiment: data scored after every epoch, never trained on.
    ///   - progress: called after every epoch of each model.
    /// - Throws: `LexicalDrafterError.invalidTrainingData` when a sentence has a tag or label
    ///   outside the configured lists or a tag count that differs from its word count, when
    ///   there is no NER or no sentiment sentence, or when the configuration is invalid.
    public func train(
        ner: [NERSentence], sentiment: [SentimentSentence],
        heldOutNER: [NERSentence] = [], heldOutSentiment: [SentimentSentence] = [],
        progress: (Event) -> Void = { _ in }
    ) throws -> LexicalDrafter {
        try validateConfiguration()
        let scheme = LexicalTagScheme(tags: configuration.tags)
        let nerData = try tagIDs(of: ner, scheme: scheme, dataSet: "training")
        let nerHeldOut = try tagIDs(of: heldOutNER, scheme: scheme, dataSet: "held-out")
        let sentimentData = try labelIDs(of: sentiment, dataSet: "training")
        let sentimentHeldOut = try labelIDs(of: heldOutSentiment, dataSet: "held-out")
        guard !nerData.isEmpty else { throw LexicalDrafterError.invalidTrainingData("no NER sentence with words to train the tagger on") }
        guard !sentimentData.isEmpty else {
            throw LexicalDrafterError.invalidTrainingData("no sentiment sentence with words to train the sentiment classifier on")
        }

        var generator = LexicalShuffleGenerator(seed: configuration.seed)
        let (sentimentWeights, sentimentReport) = trainSentiment(sentimentData, heldOut: sentimentHeldOut, generator: &generator, progress: progress)
        var tagger = TaggerTraining(scheme: scheme, sentences: nerData, configuration: configuration)
        let taggerResult = tagger.train(heldOut: nerHeldOut, sentiment: sentimentWeights, generator: &generator, progress: progress)

        var metadata = [
            "trainer": "averaged perceptron",
            "epochs": String(configuration.epochs),
            "seed": String(configuration.seed),
            "prune_threshold": String(configuration.pruneThreshold),
            "gazetteer_folds": String(configuration.gazetteerFolds),
            "ner_sentences": String(nerData.count),
            "sentiment_sentences": String(sentimentData.count),
        ]
        if let accuracy = taggerResult.lastReport?.heldOutAccuracy {
            metadata["held_out_next_tag_accuracy"] = String(format: "%.4f", accuracy)
        }
        if let accuracy = taggerResult.lastReport?.heldOutGreedyAccuracy {
            metadata["held_out_greedy_tag_accuracy"] = String(format: "%.4f", accuracy)
        }
        if let accuracy = sentimentReport?.heldOutAccuracy {
            metadata["held_out_sentiment_accuracy"] = String(format: "%.4f", accuracy)
        }
        return taggerResult.drafter.withMetadata(metadata)
    }

    private func validateConfiguration() throws {
        let tags = configuration.tags
        let labels = configuration.sentimentLabels
        guard configuration.epochs >= 1 else {
            throw LexicalDrafterError.invalidTrainingData("epochs is \(configuration.epochs); it must be at least 1")
        }
        guard configuration.gazetteerFolds >= 1, configuration.maximumEntityWords >= 1 else {
            throw LexicalDrafterError.invalidTrainingData("gazetteerFolds and maximumEntityWords must be at least 1")
        }
        guard configuration.pruneThreshold >= 0, configuration.pruneThreshold.isFinite else {
            throw LexicalDrafterError.invalidTrainingData("pruneThreshold is \(configuration.pruneThreshold); it must be a finite number of 0 or more")
        }
        let maximum = FeatureWeights.maximumClassCount
        guard (1 ... maximum).contains(tags.count), Set(tags).count == tags.count else {
            throw LexicalDrafterError.invalidTrainingData("the tag list \(tags) must have 1 to \(maximum) distinct tags")
        }
        guard (1 ... maximum).contains(labels.count), Set(labels).count == labels.count else {
            throw LexicalDrafterError.invalidTrainingData("the sentiment label list \(labels) must have 1 to \(maximum) distinct labels")
        }
        let types = LexicalTagScheme(tags: tags).entityTypes
        guard types.count <= Gazetteer.maximumTypeCount else {
            throw LexicalDrafterError.invalidTrainingData("the tags define \(types.count) entity types; at most \(Gazetteer.maximumTypeCount) are supported")
        }
    }

    // MARK: Converting names to ids

    private func tagIDs(of sentences: [NERSentence], scheme: LexicalTagScheme, dataSet: String) throws -> [(words: [String], tags: [Int])] {
        let ids = Dictionary(uniqueKeysWithValues: scheme.tags.enumerated().map { ($1, $0) })
        var result: [(words: [String], tags: [Int])] = []
        result.reserveCapacity(sentences.count)
        for (index, sentence) in sentences.enumerated() where !sentence.words.isEmpty {
            guard sentence.words.count == sentence.tags.count else {
                throw LexicalDrafterError.invalidTrainingData(
                    "\(dataSet) NER sentence \(index + 1) has \(sentence.words.count) words but \(sentence.tags.count) tags")
            }
            let tags = try sentence.tags.map { tag in
                guard let id = ids[tag] else {
                    throw LexicalDrafterError.invalidTrainingData(
                        "\(dataSet) NER sentence \(index + 1) has the tag '\(tag)', which is not in \(scheme.tags)")
                }
                return id
            }
            result.append((sentence.words, tags))
        }
        return result
    }

    private func labelIDs(of sentences: [SentimentSentence], dataSet: String) throws -> [(words: [String], label: Int)] {
        let labels = configuration.sentimentLabels
        let ids = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var result: [(words: [String], label: Int)] = []
        result.reserveCapacity(sentences.count)
        for (index, sentence) in sentences.enumerated() where !sentence.words.isEmpty {
            guard let id = ids[sentence.label] else {
                throw LexicalDrafterError.invalidTrainingData(
                    "\(dataSet) sentiment sentence \(index + 1) has the label '\(sentence.label)', which is not in \(labels)")
            }
            result.append((sentence.words, id))
        }
        return result
    }

    // MARK: Sentiment

    private func trainSentiment(
        _ data: [(words: [String], label: Int)], heldOut: [(words: [String], label: Int)],
        generator: inout LexicalShuffleGenerator, progress: (Event) -> Void
    ) -> (weights: FeatureWeights, lastReport: EpochReport?) {
        var perceptron = AveragedPerceptron(classCount: configuration.sentimentLabels.count)
        let rows = data.map { sentence in SentimentFeatures.names(of: sentence.words).map { perceptron.row(for: $0) } }
        var order = Array(data.indices)
        var scores = [Float](repeating: 0, count: perceptron.classCount)
        var lastReport: EpochReport?
        for epoch in 1 ... configuration.epochs {
            let started = Date()
            order.shuffle(using: &generator)
            var correct = 0
            for index in order {
                perceptron.advance()
                for label in scores.indices { scores[label] = 0 }
                perceptron.accumulate(rows: rows[index], into: &scores)
                let guess = argmax(scores)
                if guess == data[index].label { correct += 1 }
                perceptron.update(rows: rows[index], truth: data[index].label, guess: guess)
            }
            var heldOutAccuracy: Double?
            if !heldOut.isEmpty {
                let weights = perceptron.averaged(pruneThreshold: 0)
                let hits = heldOut.filter { sentimentClass(of: $0.words, weights: weights) == $0.label }.count
                heldOutAccuracy = Double(hits) / Double(heldOut.count)
            }
            let report = EpochReport(
                task: .sentiment, epoch: epoch, epochs: configuration.epochs,
                trainingAccuracy: Double(correct) / Double(data.count), heldOutAccuracy: heldOutAccuracy,
                heldOutGreedyAccuracy: nil, seconds: Date().timeIntervalSince(started))
            lastReport = report
            progress(.epoch(report))
        }
        return (perceptron.averaged(pruneThreshold: configuration.pruneThreshold), lastReport)
    }

    private func sentimentClass(of words: [String], weights: FeatureWeights) -> Int {
        var scores = [Float](repeating: 0, count: weights.classCount)
        weights.accumulate(rows: SentimentFeatures.names(of: words).compactMap(weights.row), into: &scores)
        return argmax(scores)
    }
}

// MARK: - Metadata

extension LexicalDrafter {
    /// Returns a copy with `metadata` as its recorded training settings and scores.
    func withMetadata(_ metadata: [String: String]) -> LexicalDrafter {
        LexicalDrafter(
            scheme: scheme, sentimentLabels: sentimentLabels, tagger: tagger, allowedTransitions: allowedTransitions,
            sentiment: sentiment, gazetteer: gazetteer, lexicon: lexicon, metadata: metadata)
    }
}

// MARK: - Shuffling

/// SplitMix64 (Steele, Lea and Flood 2014), a small seedable generator, so that training with
/// one seed shuffles the same way on every run.
struct LexicalShuffleGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
