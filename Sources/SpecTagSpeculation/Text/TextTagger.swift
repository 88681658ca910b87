import Foundation
import SpecTagModels
import SpecTagTokenization

/// A tagged word of the original text.
public struct TaggedWord: Sendable, Equatable, Codable {
    public var text: String
    public var start: Int
    public var end: Int
    public var tag: String
}

/// Sentiment label and class probabilities.
public struct SentimentResult: Sendable, Equatable, Codable {
    public var label: String
    /// Probability per label, in the model's label order.
    public var probabilities: [String: Double]
}

/// The tagger's output for one text.
public struct TaggedText: Sendable, Equatable, Codable {
    public var entities: [EntityMention]
    /// The text's sentiment: the mean of its sentences' probabilities.
    public var sentiment: SentimentResult
    /// Each sentence's own sentiment, in order.
    public var sentenceSentiments: [SentimentResult]
    public var words: [TaggedWord]
    /// Speculative-decoding counters of this text alone.
    public var statistics: DecodingStatistics
}

/// Wall-clock time of a tagging call, split by stage, in seconds.
public struct TaggingTimings: Sendable, Equatable, Codable {
    public var encoder: Double = 0
    public var decoder: Double = 0
    /// Greedy decoding of the same sentences, when comparison was asked for.
    public var greedyDecoder: Double?

    public init() {}

    public mutating func add(_ other: TaggingTimings) {
        encoder += other.encoder
        decoder += other.decoder
        if let greedy = other.greedyDecoder { greedyDecoder = (greedyDecoder ?? 0) + greedy }
    }
}

/// Raised when speculative decoding and greedy decoding disagree, which would be a bug.
public struct GreedyMismatchError: Error, CustomStringConvertible {
    public let sentence: [String]
    public var description: String { "speculative and greedy decoding disagree on: \(sentence.joined(separator: " "))" }
}

/// The output of `TextTagger.tag(_:compareWithGreedy:)`.
public struct TaggingRun: Sendable {
    public var texts: [TaggedText]
    /// Counters over every sentence; `targetPasses` counts batched passes.
    public var total: DecodingStatistics
    public var timings: TaggingTimings
}

/// Tags raw texts: splits them into sentences and words, runs the target with a drafter, and
/// maps tags back to character spans of the original text.
public struct TextTagger: Sendable {
    public let model: TargetModel
    public let decoder: SpeculativeDecoder
    /// Sentences encoded and decoded together.
    public var batchSize: Int
    /// Longer sentences are cut into pieces of this many words.
    ///
    /// NOTE: a cut may separate the words of one entity. 200 words is far beyond news sentences
    /// (CoNLL-2003's longest has 124), and the limit bounds the decoder's quadratic cost.
    public var maximumSentenceWords = 200
    let sentenceSplitter = SentenceSplitter()
    let wordSplitter = WordSplitter()

    public init(model: TargetModel, drafter: (any Drafter)?, maximumDraft: Int, batchSize: Int = 64) {
        self.model = model
        decoder = SpeculativeDecoder(decoder: model.decoder, drafter: drafter, maximumDraft: maximumDraft)
        self.batchSize = max(1, batchSize)
    }

    /// The drafter's name, or `none` for greedy decoding.
    public var drafterName: String { decoder.drafter?.name ?? "none" }

    // MARK: Sentences of words

    /// Decodes pre-split sentences in batches of `batchSize`.
    ///
    /// With `compareWithGreedy`, the same encoder states are also decoded greedily, timed, and
    /// checked to give identical tags and sentiment.
    /// - Throws: `TokenizerError` or `EncoderInputError` for input the encoder cannot take, or
    ///   `GreedyMismatchError`, which would be a bug in the speculative loop.
    public func tagSentences(_ sentences: [[String]], compareWithGreedy: Bool = false) throws -> (result: SpeculativeDecoder.Result, timings: TaggingTimings) {
        var combined = SpeculativeDecoder.Result(sentences: [], perSentence: [], total: DecodingStatistics())
        var timings = TaggingTimings()
        let clock = ContinuousClock()
        for start in stride(from: 0, to: sentences.count, by: batchSize) {
            let batch = Array(sentences[start ..< min(start + batchSize, sentences.count)])
            let encodingStart = clock.now
            let encoded = try model.encode(batch)
            timings.encoder += (clock.now - encodingStart).seconds
            let drafting = zip(batch, encoded).map { DraftingSentence(words: $0, encoded: $1) }

            let decodingStart = clock.now
            let output = decoder.decode(drafting)
            timings.decoder += (clock.now - decodingStart).seconds
            if compareWithGreedy {
                try compare(output, drafting, timings: &timings)
            }
            combined.sentences += output.sentences
            combined.perSentence += output.perSentence
            let passes = combined.total.targetPasses + output.total.targetPasses
            combined.total.add(output.total)
            combined.total.targetPasses = passes
        }
        return (combined, timings)
    }

    private func compare(_ output: SpeculativeDecoder.Result, _ sentences: [DraftingSentence], timings: inout TaggingTimings) throws {
        let greedy = SpeculativeDecoder(decoder: model.decoder, drafter: nil, maximumDraft: 0)
        let clock = ContinuousClock()
        let start = clock.now
        let reference = greedy.decode(sentences).sentences
        timings.greedyDecoder = (timings.greedyDecoder ?? 0) + (clock.now - start).seconds
        for (index, (got, want)) in zip(output.sentences, reference).enumerated()
        where got.tags != want.tags || got.sentiment != want.sentiment {
            throw GreedyMismatchError(sentence: sentences[index].words)
        }
    }

    // MARK: Raw text

    /// Tags raw texts. Entity and word offsets are Unicode scalar offsets into each text.
    /// - Throws: as `tagSentences(_:compareWithGreedy:)`.
    public func tag(_ texts: [String], compareWithGreedy: Bool = false) throws -> TaggingRun {
        let pieces = texts.enumerated().flatMap { index, text in split(text).map { (text: index, words: $0) } }
        let (output, timings) = try tagSentences(pieces.map { $0.words.map(\.text) }, compareWithGreedy: compareWithGreedy)
        var tagged = texts.map { _ in
            TaggedText(entities: [], sentiment: SentimentResult(label: "", probabilities: [:]), sentenceSentiments: [], words: [], statistics: DecodingStatistics())
        }
        var sentimentSums = texts.map { _ in [Double](repeating: 0, count: model.sentimentLabels.count) }
        let scalarsOfTexts = texts.map { Array($0.unicodeScalars) }
        for (pieceIndex, piece) in pieces.enumerated() {
            let sentence = output.sentences[pieceIndex]
            let index = piece.text
            append(sentence, words: piece.words, scalars: scalarsOfTexts[index], sentenceIndex: tagged[index].sentenceSentiments.count, to: &tagged[index])
            tagged[index].statistics.add(output.perSentence[pieceIndex])
            for (label, probability) in sentence.sentimentProbabilities.enumerated() { sentimentSums[index][label] += Double(probability) }
        }
        for index in tagged.indices {
            let count = Double(max(1, tagged[index].sentenceSentiments.count))
            tagged[index].sentiment = sentiment(sentimentSums[index].map { $0 / count })
        }
        return TaggingRun(texts: tagged, total: output.total, timings: timings)
    }

    /// Splits a text into sentences of words, cutting long sentences; a text without words
    /// becomes one empty sentence, so that it still gets a sentiment.
    func split(_ text: String) -> [[WordSpan]] {
        let scalars = Array(text.unicodeScalars)
        var sentences: [[WordSpan]] = []
        for range in sentenceSplitter.split(text) {
            let sentenceText = String(String.UnicodeScalarView(scalars[range]))
            let words = wordSplitter.split(sentenceText).map { word in
                WordSpan(text: word.text, range: word.range.lowerBound + range.lowerBound ..< word.range.upperBound + range.lowerBound)
            }
            for start in stride(from: 0, to: words.count, by: maximumSentenceWords) {
                sentences.append(Array(words[start ..< min(start + maximumSentenceWords, words.count)]))
            }
        }
        return sentences.isEmpty ? [[]] : sentences
    }

    private func append(_ sentence: TaggedSentence, words: [WordSpan], scalars: [Unicode.Scalar], sentenceIndex: Int, to text: inout TaggedText) {
        let tags = sentence.tags.map { model.tags[$0] }
        for (word, tag) in zip(words, tags) {
            text.words.append(TaggedWord(text: word.text, start: word.range.lowerBound, end: word.range.upperBound, tag: tag))
        }
        for chunk in chunks(ofTags: tags) {
            let start = words[chunk.range.lowerBound].range.lowerBound
            let end = words[chunk.range.upperBound - 1].range.upperBound
            let confidence = chunk.range.map { Double(sentence.tagProbabilities[$0][sentence.tags[$0]]) }.reduce(0, +) / Double(chunk.range.count)
            text.entities.append(EntityMention(
                text: String(String.UnicodeScalarView(scalars[start ..< end])), type: chunk.type,
                start: start, end: end, confidence: confidence, sentence: sentenceIndex
            ))
        }
        text.sentenceSentiments.append(sentiment(sentence.sentimentProbabilities.map(Double.init)))
    }

    private func sentiment(_ probabilities: [Double]) -> SentimentResult {
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        return SentimentResult(
            label: model.sentimentLabels[best],
            probabilities: Dictionary(uniqueKeysWithValues: zip(model.sentimentLabels, probabilities))
        )
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
