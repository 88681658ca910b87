import Foundation
import SpecTagEvaluation
import XCTest

final class ConllevalTests: XCTestCase {
    private let predictionFileOptions = CoNLLReadOptions(hasPredictionColumn: true, convertsToIOB2: false)

    // MARK: Chunk rules on a predictions file

    /// `conlleval/chunk-rules.txt`, sentence by sentence (gold | predicted phrases):
    /// 1. John Smith, Mary, German | John Smith Mary, bankers. Gold B-PER after I-PER starts
    ///    Mary's phrase; the predicted I-PER continues it. MISC is missed, bankers is spurious.
    /// 2. New York, Reuters | New York, Reuters. The predicted I-LOC after O and I-ORG after a
    ///    LOC start phrases, so both match.
    /// 3. Bank of England | Bank of, England. The type changes inside the predicted run.
    /// 4. Apple Inc | Apple Inc, ending with the sentence.
    /// 5. After -DOCSTART-: Smith | Smith, a one-token sentence.
    /// 6. Jones, Berlin, Germany | the same. Jones is I-PER at the sentence start, so the
    ///    sentence break after Smith keeps it a separate phrase. Germany is B-LOC after
    ///    B-LOC, the last token of a file without a final newline.
    func testChunkRulesFixtureCounts() throws {
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conlleval/chunk-rules.txt"), options: predictionFileOptions)
        let scores = try Conlleval.score(document)

        // 25 token lines plus the -DOCSTART- line, which conlleval.pl counts as a token.
        XCTAssertEqual(scores.tokenCount, 26)
        // Wrong tags: Mary (B/I), German (B-MISC/O), bankers (O/B-PER), New (B/I),
        // Reuters (B/I), England (I-ORG/I-LOC).
        XCTAssertEqual(scores.correctTagCount, 20)
        XCTAssertEqual(scores.goldPhraseCount, 11)
        XCTAssertEqual(scores.predictedPhraseCount, 11)
        // New York, Reuters, Apple Inc, Smith, Jones, Berlin, Germany.
        XCTAssertEqual(scores.correctPhraseCount, 7)
        XCTAssertEqual(try XCTUnwrap(scores.accuracy), 100.0 * 20 / 26, accuracy: 1e-9)
        XCTAssertEqual(scores.precision, 100.0 * 7 / 11, accuracy: 1e-9)
        XCTAssertEqual(scores.recall, 100.0 * 7 / 11, accuracy: 1e-9)
        XCTAssertEqual(scores.fb1, 100.0 * 7 / 11, accuracy: 1e-9)

        XCTAssertEqual(scores.types.map(\.type), ["LOC", "MISC", "ORG", "PER"])
        let loc = try XCTUnwrap(scores.scores(forType: "LOC"))
        // Gold: New York, Berlin, Germany. Predicted adds England.
        XCTAssertEqual([loc.goldPhraseCount, loc.predictedPhraseCount, loc.correctPhraseCount], [3, 4, 3])
        XCTAssertEqual(loc.precision, 75, accuracy: 1e-9)
        XCTAssertEqual(loc.recall, 100, accuracy: 1e-9)
        let misc = try XCTUnwrap(scores.scores(forType: "MISC"))
        XCTAssertEqual([misc.goldPhraseCount, misc.predictedPhraseCount, misc.correctPhraseCount], [1, 0, 0])
        XCTAssertEqual(misc.precision, 0, "precision is 0 when nothing of the type was predicted")
        let org = try XCTUnwrap(scores.scores(forType: "ORG"))
        XCTAssertEqual([org.goldPhraseCount, org.predictedPhraseCount, org.correctPhraseCount], [3, 3, 2])
        let per = try XCTUnwrap(scores.scores(forType: "PER"))
        XCTAssertEqual([per.goldPhraseCount, per.predictedPhraseCount, per.correctPhraseCount], [4, 4, 2])
        XCTAssertEqual(per.fb1, 50, accuracy: 1e-9)
    }

    func testChunkRulesReportMatchesConllevalOutput() throws {
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conlleval/chunk-rules.txt"), options: predictionFileOptions)

        // The text that conlleval.pl (version 2004-01-26) prints for this file.
        let expected = """
            processed 26 tokens with 11 phrases; found: 11 phrases; correct: 7.
            accuracy:  76.92%; precision:  63.64%; recall:  63.64%; FB1:  63.64
                          LOC: precision:  75.00%; recall: 100.00%; FB1:  85.71  4
                         MISC: precision:   0.00%; recall:   0.00%; FB1:   0.00  0
                          ORG: precision:  66.67%; recall:  66.67%; FB1:  66.67  3
                          PER: precision:  50.00%; recall:  50.00%; FB1:  50.00  4

            """
        XCTAssertEqual(try Conlleval.score(document).formatted(), expected)
    }

    func testIgnoringDocumentStartsDropsOnlyTheirTokens() throws {
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conlleval/chunk-rules.txt"), options: predictionFileOptions)
        let counted = try Conlleval.score(document)
        let ignored = try Conlleval.score(document, options: ConllevalOptions(documentStarts: .ignore))

        XCTAssertEqual(ignored.tokenCount, 25)
        XCTAssertEqual(ignored.correctTagCount, 19)
        XCTAssertEqual(ignored.goldPhraseCount, counted.goldPhraseCount)
        XCTAssertEqual(ignored.correctPhraseCount, counted.correctPhraseCount)
        XCTAssertEqual(ignored.types, counted.types)
    }

    // MARK: IOB1 input

    /// `conlleval/iob1-predictions.txt` has IOB1 gold tags and IOB2 predictions.
    /// Gold phrases: EU (ORG), German, British (MISC), Peter Blackburn (PER), Germany, France
    /// (LOC, separated by B-LOC). Predicted: EU, German, Peter Blackburn, British as LOC, and
    /// Germany France merged into one LOC. So 3 of 5 predicted phrases are correct.
    func testIOB1GoldScoresLikeConlleval() throws {
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conlleval/iob1-predictions.txt"), options: predictionFileOptions)
        let scores = try Conlleval.score(document)

        XCTAssertEqual(scores.goldPhraseCount, 6)
        XCTAssertEqual(scores.predictedPhraseCount, 5)
        XCTAssertEqual(scores.correctPhraseCount, 3)
        // Raw tags agree on the 5 O tokens, the -DOCSTART- line and Blackburn (I-PER) only.
        XCTAssertEqual(scores.tokenCount, 13)
        XCTAssertEqual(scores.correctTagCount, 7)

        // The text that conlleval.pl (version 2004-01-26) prints for this file.
        let expected = """
            processed 13 tokens with 6 phrases; found: 5 phrases; correct: 3.
            accuracy:  53.85%; precision:  60.00%; recall:  50.00%; FB1:  54.55
                          LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  2
                         MISC: precision: 100.00%; recall:  50.00%; FB1:  66.67  1
                          ORG: precision: 100.00%; recall: 100.00%; FB1: 100.00  1
                          PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  1

            """
        XCTAssertEqual(scores.formatted(), expected)
    }

    func testIOB1ConversionChangesAccuracyButNotPhrases() throws {
        let raw = try Conlleval.score(
            CoNLLReader.read(contentsOf: fixtureURL("conlleval/iob1-predictions.txt"), options: predictionFileOptions))
        let converted = try Conlleval.score(
            CoNLLReader.read(
                contentsOf: fixtureURL("conlleval/iob1-predictions.txt"),
                options: CoNLLReadOptions(hasPredictionColumn: true)))

        XCTAssertEqual(converted.goldPhraseCount, raw.goldPhraseCount)
        XCTAssertEqual(converted.predictedPhraseCount, raw.predictedPhraseCount)
        XCTAssertEqual(converted.correctPhraseCount, raw.correctPhraseCount)
        // After conversion EU, German, Peter and Germany also agree (B-X on both sides).
        XCTAssertEqual(converted.correctTagCount, 11)
    }

    // MARK: Predictions passed separately

    func testScoreWithSeparatePredictions() throws {
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conll/iob1-gold.txt"))
        let predictions = document.sentences.map(\.goldTags)
        let scores = try Conlleval.score(document, predictions: predictions)

        XCTAssertEqual(scores.goldPhraseCount, 6)
        XCTAssertEqual(scores.correctPhraseCount, 6)
        XCTAssertEqual(scores.fb1, 100)
        XCTAssertEqual(scores.tokenCount, 17)
    }

    func testPredictionCountMismatchThrows() throws {
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conll/iob1-gold.txt"))
        var predictions = document.sentences.map(\.goldTags)
        predictions[1].removeLast()

        XCTAssertThrowsError(try Conlleval.score(document, predictions: predictions)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("sentence 2"), message)
            XCTAssertTrue(message.contains("2 tokens, but got 1"), message)
        }
        XCTAssertThrowsError(try Conlleval.score(document, predictions: Array(predictions.prefix(1))))
        XCTAssertThrowsError(try Conlleval.score(document), "a gold-only document has no predicted column")
    }

    // MARK: conlleval.pl rules beyond BIO

    /// Tags of other chunk representations, fed to the counter directly:
    /// - I-NP E-NP I-NP: gold E then I ends a phrase and starts another, while the predicted
    ///   I-NP run goes on, so the NP phrases differ (gold 2, predicted 1, correct 0).
    /// - [-PP and ]-PP are one-token phrases; both match.
    /// - "B" has an empty type. conlleval.pl prints the empty type's line twice when it
    ///   occurs in both columns.
    func testCounterFollowsConllevalForOtherRepresentations() {
        var counter = ConllevalCounter()
        for (gold, predicted) in [("I-NP", "I-NP"), ("E-NP", "I-NP"), ("I-NP", "I-NP"), ("O", "O")] {
            counter.addToken(gold: gold, predicted: predicted)
        }
        counter.addSentenceBoundary()
        for (gold, predicted) in [("[-PP", "[-PP"), ("]-PP", "]-PP"), ("B", "B"), ("O", "O")] {
            counter.addToken(gold: gold, predicted: predicted)
        }
        let scores = counter.scores()

        XCTAssertEqual(scores.tokenCount, 8)
        XCTAssertEqual(scores.correctTagCount, 7)
        XCTAssertEqual(scores.goldPhraseCount, 5)
        XCTAssertEqual(scores.predictedPhraseCount, 4)
        XCTAssertEqual(scores.correctPhraseCount, 3)

        // The text that conlleval.pl (version 2004-01-26) prints for these tags.
        let expected = """
            processed 8 tokens with 5 phrases; found: 4 phrases; correct: 3.
            accuracy:  87.50%; precision:  75.00%; recall:  60.00%; FB1:  66.67
                             : precision: 100.00%; recall: 100.00%; FB1: 100.00  1
                             : precision: 100.00%; recall: 100.00%; FB1: 100.00  1
                           NP: precision:   0.00%; recall:   0.00%; FB1:   0.00  1
                           PP: precision: 100.00%; recall: 100.00%; FB1: 100.00  2

            """
        XCTAssertEqual(scores.formatted(), expected)
    }

    /// Type "0" counts as empty (Perl's false), types may contain hyphens, and a phrase
    /// open at the end of the input is still counted.
    func testCounterTypeZeroAndHyphenatedTypes() {
        var counter = ConllevalCounter()
        counter.addToken(gold: "B-0", predicted: "B")
        counter.addToken(gold: "I-X-Y", predicted: "I-X-Y")
        counter.addToken(gold: "O", predicted: "O")
        counter.addSentenceBoundary()
        counter.addToken(gold: "B-X-Y", predicted: "I-X-Y")
        let scores = counter.scores()

        // The text that conlleval.pl (version 2004-01-26) prints for these tags.
        let expected = """
            processed 4 tokens with 3 phrases; found: 3 phrases; correct: 3.
            accuracy:  75.00%; precision: 100.00%; recall: 100.00%; FB1: 100.00
                             : precision: 100.00%; recall: 100.00%; FB1: 100.00  1
                             : precision: 100.00%; recall: 100.00%; FB1: 100.00  1
                          X-Y: precision: 100.00%; recall: 100.00%; FB1: 100.00  2

            """
        XCTAssertEqual(scores.formatted(), expected)
        XCTAssertEqual(scores.scores(forType: "X-Y")?.correctPhraseCount, 2)
    }

    func testEmptyInputPrintsOnlyTheCountLine() {
        let scores = ConllevalCounter().scores()

        XCTAssertNil(scores.accuracy)
        XCTAssertEqual(scores.precision, 0)
        XCTAssertEqual(scores.formatted(), "processed 0 tokens with 0 phrases; found: 0 phrases; correct: 0.\n")
    }

    func testLongTypeNamesAreNotTruncated() {
        var counter = ConllevalCounter()
        counter.addToken(gold: "B-FINANCIAL_INSTRUMENT", predicted: "O")
        let report = counter.scores().formatted()

        XCTAssertTrue(
            report.contains("\nFINANCIAL_INSTRUMENT: precision:   0.00%; recall:   0.00%; FB1:   0.00  0\n"), report)
    }

    func testRoundingMatchesPrintf() {
        // 1 of 32 predicted phrases is correct: precision 3.125 exactly, which printf rounds
        // to the even digit (3.12), not up.
        var counter = ConllevalCounter()
        counter.addToken(gold: "B-PER", predicted: "B-PER")
        for _ in 0..<31 {
            counter.addToken(gold: "O", predicted: "B-PER")
        }
        let report = counter.scores().formatted()

        XCTAssertTrue(report.contains("precision:   3.12%; recall: 100.00%; FB1:   6.06"), report)
    }

    // MARK: JSON

    func testScoresRoundTripThroughJSON() throws {
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conlleval/chunk-rules.txt"), options: predictionFileOptions)
        let scores = try Conlleval.score(document)
        let data = try JSONEncoder().encode(scores)
        let decoded = try JSONDecoder().decode(ConllevalScores.self, from: data)

        XCTAssertEqual(decoded, scores)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["goldPhraseCount"] as? Int, 11)
        XCTAssertNotNil(object["types"] as? [[String: Any]])
    }
}
