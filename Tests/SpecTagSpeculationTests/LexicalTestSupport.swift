import Foundation
import SpecTagModels
import XCTest
@testable import SpecTagSpeculation

// MARK: - Hand-written training data

/// A small data set written for these tests: news-style sentences with IOB2 tags and
/// sentiment-labelled sentences.
enum LexicalTestData {
    static let ner: [LexicalDrafterTrainer.NERSentence] = [
        tagged("Deutsche Bank shares fell in Frankfurt .", "B-ORG I-ORG O O O B-LOC O"),
        tagged("Siemens said on Tuesday that Joe Kaeser will step down .", "B-ORG O O O O B-PER I-PER O O O O"),
        tagged("The Bank of England kept rates steady .", "O B-ORG I-ORG I-ORG O O O O"),
        tagged("Apple hired Tim Cook in 1998 .", "B-ORG O B-PER I-PER O O O"),
        tagged("Shares of Toyota rose in Tokyo on Monday .", "O O B-ORG O O B-LOC O O O"),
        tagged("Angela Merkel visited Paris and met French bankers .", "B-PER I-PER O B-LOC O O B-MISC O O"),
        tagged("The Federal Reserve raised rates , said Jerome Powell .", "O B-ORG I-ORG O O O O B-PER I-PER O"),
        tagged("Bank stocks rallied in New York .", "O O O O B-LOC I-LOC O"),
        tagged("Volkswagen AG cut its forecast .", "B-ORG I-ORG O O O O"),
        tagged("Analysts at Goldman Sachs expect growth in Europe .", "O O B-ORG I-ORG O O O B-LOC O"),
        tagged("Tesla chief Elon Musk sold shares .", "B-ORG O B-PER I-PER O O O"),
        tagged("The euro fell against the dollar in London trading .", "O O O O O O O B-LOC O O"),
        tagged("German exports rose in March .", "B-MISC O O O O O"),
    ]

    static let sentiment: [LexicalDrafterTrainer.SentimentSentence] = [
        labelled("Profit rose 20 % and sales beat forecasts .", "positive"),
        labelled("The company reported record revenue .", "positive"),
        labelled("Shares jumped after strong results .", "positive"),
        labelled("Operating loss widened and sales fell .", "negative"),
        labelled("The company cut jobs after weak demand .", "negative"),
        labelled("Shares dropped on a profit warning .", "negative"),
        labelled("The meeting will be held in Helsinki .", "neutral"),
        labelled("The company has 200 employees .", "neutral"),
        labelled("The report was published on Tuesday .", "neutral"),
    ]

    static func words(_ text: String) -> [String] {
        text.split(separator: " ").map(String.init)
    }

    private static func tagged(_ text: String, _ tags: String) -> LexicalDrafterTrainer.NERSentence {
        (words(text), words(tags))
    }

    private static func labelled(_ text: String, _ label: String) -> LexicalDrafterTrainer.SentimentSentence {
        (words(text), label)
    }

    /// Returns a drafter trained on the hand-written data.
    static func trainedDrafter(epochs: Int = 12) throws -> LexicalDrafter {
        let configuration = LexicalDrafterTrainer.Configuration(epochs: epochs, seed: 7, pruneThreshold: 0)
        return try LexicalDrafterTrainer(configuration: configuration).train(ner: ner, sentiment: sentiment)
    }

    static func tagID(_ tag: String) -> Int {
        LexicalDrafter.defaultTags.firstIndex(of: tag) ?? -1
    }
}

// MARK: - Random sentences

/// SplitMix64, for reproducible random sentences in these tests.
struct LexicalTestRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        value ^= value >> 31
        return Int(value % UInt64(bound))
    }
}

/// Words that the tiny tagger fixture's vocabulary has as whole tokens.
let tinyTaggerWords = [
    "Apple", "Sony", "Toyota", "Siemens", "BMW", "Daimler", "AG", "Inc", "Federal", "Reserve", "Jerome", "Powell",
    "New", "York", "Tuesday", "US", "The", "Stocks", "Revenue", "shares", "rose", "grew", "lagged", "held", "steady",
    "rally", "record", "rates", "in", "at", "on", "and", "while", "behind", "across", "said", "as", "is", "cost",
    "here", "listed", "only", "really", "hits", "500", "35", "1200", ".", ",", "%", "(", ")", "€",
]

/// Returns `count` random sentences of 1 to `maximumLength` words from `tinyTaggerWords`.
func randomTinyTaggerSentences(count: Int, maximumLength: Int, seed: UInt64) -> [[String]] {
    var random = LexicalTestRandom(seed: seed)
    return (0 ..< count).map { _ in
        (0 ... random.next(below: maximumLength)).map { _ in tinyTaggerWords[random.next(below: tinyTaggerWords.count)] }
    }
}

// MARK: - Tiny tagger

/// The tiny random tagger fixture of the model tests, a valid model folder.
let tinyTaggerFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("SpecTagModelsTests/Fixtures/tiny-tagger")
