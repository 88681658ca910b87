import Foundation
import SpecTagEvaluation
import XCTest

/// Tests on the public data sets in `../shared/data`. Each test skips when its file is absent.
final class SharedDataTests: XCTestCase {
    func testCoNLL2003DevGoldScoresPerfectly() throws {
        let url = try sharedDataURL("conll2003/eng.testa")
        let document = try CoNLLReader.read(contentsOf: url)

        XCTAssertEqual(document.sentences.count, 3250)
        XCTAssertEqual(document.sourceScheme, .iob1)
        XCTAssertEqual(document.documentStartCount, 216)

        let scores = try Conlleval.score(document, predictions: document.sentences.map(\.goldTags))
        XCTAssertEqual(scores.goldPhraseCount, 5942)
        XCTAssertEqual(scores.predictedPhraseCount, 5942)
        XCTAssertEqual(scores.correctPhraseCount, 5942)
        XCTAssertEqual(scores.scores(forType: "LOC")?.goldPhraseCount, 1837)
        XCTAssertEqual(scores.scores(forType: "MISC")?.goldPhraseCount, 922)
        XCTAssertEqual(scores.scores(forType: "ORG")?.goldPhraseCount, 1341)
        XCTAssertEqual(scores.scores(forType: "PER")?.goldPhraseCount, 1842)
        XCTAssertEqual(scores.fb1, 100)
        XCTAssertTrue(scores.formatted().contains("FB1: 100.00\n"), scores.formatted())
        // conlleval.pl counts the 216 -DOCSTART- lines as tokens unless they are ignored.
        XCTAssertEqual(scores.tokenCount, 51_578)
        let ignored = try Conlleval.score(
            document, predictions: document.sentences.map(\.goldTags), options: ConllevalOptions(documentStarts: .ignore))
        XCTAssertEqual(ignored.tokenCount, 51_362)
    }

    func testCoNLL2003IOB2CopyMatchesConvertedIOB1() throws {
        let iob1 = try CoNLLReader.read(contentsOf: sharedDataURL("conll2003/eng.testa"))
        let iob2 = try CoNLLReader.read(contentsOf: sharedDataURL("conll2003/iob2/valid.txt"))

        XCTAssertEqual(iob2.sourceScheme, .iob2)
        XCTAssertEqual(iob2.sentences.count, iob1.sentences.count)
        XCTAssertEqual(iob2.sentences.map(\.goldTags), iob1.sentences.map(\.goldTags))
    }

    func testPhraseBankFilesReadWithLatin1() throws {
        let records = try PhraseBankReader.read(contentsOf: sharedDataURL("financial_phrasebank/Sentences_AllAgree.txt"))
        let (train, dev) = PhraseBankSplit.partition(records)

        XCTAssertEqual(records.count, 1790)
        XCTAssertEqual(Set(records.map(\.label)), ["positive", "neutral", "negative"])
        // 352 dev sentences, counted with the same rule in Python 3.11.
        XCTAssertEqual(dev.count, 352)
        XCTAssertEqual(train.count + dev.count, records.count)
    }

    func testTwitterSentimentCSVReads() throws {
        let url = try sharedDataURL("twitter_financial_news_sentiment/sent_train.csv")
        let mapping = try LabelMapping(parsing: "0=bearish,1=bullish,2=neutral")
        let records = try SentimentCSVReader.read(contentsOf: url, options: SentimentCSVOptions(labelMapping: mapping))

        XCTAssertEqual(records.count, 9543)
        XCTAssertEqual(Set(records.map(\.label)), ["bearish", "bullish", "neutral"])
    }

    func testGuardianHeadlinesCSVKeepsQuotedLineBreaks() throws {
        let url = try sharedDataURL("financial_news_headlines/guardian_headlines.csv")
        let options = SentimentCSVOptions(textColumn: .name("Headlines"), labelColumn: .name("Time"))
        let records = try SentimentCSVReader.read(contentsOf: url, options: options)

        XCTAssertEqual(records.count, 17800)
        XCTAssertTrue(records.contains { $0.text.contains("\n") })
    }
}
