import Foundation
import XCTest
import SpecTagEvaluation

/// `spectag eval` end to end, on a CoNLL file written for the project and the tiny random model.
final class EvalCommandTests: XCTestCase {
    private var fixture: String { Bundle.module.url(forResource: "Fixtures/news-sample", withExtension: "conll")!.path }
    private var model: String { CommandRunner.packageRoot.appendingPathComponent("Tests/SpecTagModelsTests/Fixtures/tiny-tagger").path }

    private func evaluate(_ extra: [String]) throws -> (output: CommandRunner.Output, json: [String: Any]) {
        let output = try CommandRunner.run(["eval", "conll", fixture, "--model", model, "--format", "json"] + extra)
        XCTAssertEqual(output.status, 0, output.standardError)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any], output.standardOutput)
        return (output, json)
    }

    func testEvalConllCountsTokensAndGoldPhrases() throws {
        let conlleval = try XCTUnwrap(evaluate([]).json["conlleval"] as? [String: Any])
        // 30 word tokens plus 2 -DOCSTART- lines, which conlleval counts as tokens.
        XCTAssertEqual(conlleval["tokenCount"] as? Int, 32)
        // Apple, New York, Tim Cook, Goldman Sachs, Deutsche Bank, Swiss, Frankfurt.
        XCTAssertEqual(conlleval["goldPhraseCount"] as? Int, 7)
    }

    func testEvalConllReportMatchesScoringItsPredictionsFile() throws {
        let predictions = FileManager.default.temporaryDirectory.appendingPathComponent("spectag-predictions-\(UUID()).conll")
        defer { try? FileManager.default.removeItem(at: predictions) }
        let output = try CommandRunner.run(["eval", "conll", fixture, "--model", model, "--predictions", predictions.path])
        XCTAssertEqual(output.status, 0, output.standardError)
        let written = try CoNLLReader.read(contentsOf: predictions, options: CoNLLReadOptions(hasPredictionColumn: true, entityTypes: nil))
        let expected = try Conlleval.score(written).formatted()
        XCTAssertTrue(output.standardOutput.hasPrefix(expected), "report:\n\(output.standardOutput)\nexpected to start with:\n\(expected)")
        XCTAssertTrue(output.standardOutput.contains("acceptance rate"), output.standardOutput)
        XCTAssertTrue(output.standardOutput.contains("macro avg"), output.standardOutput)
    }

    func testEvalConllScoresSameForEveryDrafter() throws {
        let greedy = try XCTUnwrap(evaluate(["--drafter", "none"]).json["conlleval"] as? [String: Any])
        for drafter in ["head", "lexical"] {
            for maximumDraft in ["1", "4", "16"] {
                let speculative = try XCTUnwrap(evaluate(["--drafter", drafter, "--max-draft", maximumDraft]).json["conlleval"] as? [String: Any])
                XCTAssertEqual(speculative as NSDictionary, greedy as NSDictionary, "\(drafter) drafter, max draft \(maximumDraft)")
            }
        }
    }

    func testEvalConllReportsMalformedLineWithNumber() throws {
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("spectag-bad-\(UUID()).conll")
        defer { try? FileManager.default.removeItem(at: bad) }
        try "Apple NNP B-NP I-ORG\nshares\n".write(to: bad, atomically: true, encoding: .utf8)
        let output = try CommandRunner.run(["eval", "conll", bad.path, "--model", model])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.standardError.contains("\(bad.lastPathComponent):2"), output.standardError)
    }

    func testUnknownDrafterIsAUsageError() throws {
        let output = try CommandRunner.run(["eval", "conll", fixture, "--model", model, "--drafter", "oracle"])
        XCTAssertEqual(output.status, 64)
        XCTAssertTrue(output.standardError.contains("--drafter must be one of head, lexical, none"), output.standardError)
    }

    // MARK: eval sentiment

    private var sentimentFixture: String {
        CommandRunner.packageRoot.appendingPathComponent("Tests/SpecTagEvaluationTests/Fixtures/sentiment/phrasebank-latin1.txt").path
    }

    func testEvalSentimentPrintsFourDigits() throws {
        let json = try CommandRunner.run(["eval", "sentiment", sentimentFixture, "--model", model, "--format", "json"])
        let text = try CommandRunner.run(["eval", "sentiment", sentimentFixture, "--model", model])

        XCTAssertEqual(json.status, 0, json.standardError)
        XCTAssertEqual(text.status, 0, text.standardError)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let accuracy = try XCTUnwrap((report["sentiment"] as? [String: Any])?["accuracy"] as? Double)
        let accuracyLine = try XCTUnwrap(text.standardOutput.split(separator: "\n").first { $0.hasPrefix("    accuracy") })
        XCTAssertTrue(accuracyLine.contains(String(format: "%.4f", accuracy)), String(accuracyLine))
    }

    func testEvalSentimentRejectsDigitsOutOfRange() throws {
        let output = try CommandRunner.run(["eval", "sentiment", sentimentFixture, "--model", model, "--digits", "0"])

        XCTAssertEqual(output.status, 64, output.standardError)
        XCTAssertTrue(output.standardError.contains("--digits must be between 1 and 8, got 0"), output.standardError)
    }
}
