import Foundation
import SpecTagEvaluation
import XCTest

final class CoNLLPredictionWriterTests: XCTestCase {
    func testWriterAppendsPredictionsAndKeepsLayout() throws {
        let text = "-DOCSTART- -X- -X- O\n\nAcme\tNNP B-ORG\nrose VBD O\n\nin IN O\nOslo NNP B-LOC"
        let document = try CoNLLReader.parse(Data(text.utf8), fileName: "inline.txt")
        let output = try CoNLLPredictionWriter.format(document, predictions: [["B-ORG", "O"], ["O", "B-PER"]])

        let expected = """
            -DOCSTART- -X- -X- O O

            Acme NNP B-ORG B-ORG
            rose VBD O O

            in IN O O
            Oslo NNP B-LOC B-PER

            """
        XCTAssertEqual(output, expected)
    }

    func testWriterReplacesExistingPredictionColumn() throws {
        let text = "-DOCSTART- -X- O O\n\nAcme NNP B-ORG O\n"
        let options = CoNLLReadOptions(hasPredictionColumn: true)
        let document = try CoNLLReader.parse(Data(text.utf8), fileName: "inline.txt", options: options)

        XCTAssertEqual(try CoNLLPredictionWriter.format(document), "-DOCSTART- -X- O O\n\nAcme NNP B-ORG O\n")
        XCTAssertEqual(
            try CoNLLPredictionWriter.format(document, predictions: [["B-ORG"]]),
            "-DOCSTART- -X- O O\n\nAcme NNP B-ORG B-ORG\n")
    }

    func testWrittenFileScoresLikeTheDocument() throws {
        // IOB1 gold is converted on reading. The writer writes the converted gold tags, so
        // scoring the written file without conversion, as conlleval.pl does, gives the
        // in-process numbers.
        let document = try CoNLLReader.read(
            contentsOf: fixtureURL("conlleval/iob1-predictions.txt"), options: CoNLLReadOptions(hasPredictionColumn: true))
        let expectedScores = try Conlleval.score(document)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spectag-writer-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        try CoNLLPredictionWriter.write(document, to: url)
        let reread = try CoNLLReader.read(
            contentsOf: url, options: CoNLLReadOptions(hasPredictionColumn: true, convertsToIOB2: false))

        XCTAssertEqual(try Conlleval.score(reread), expectedScores)
        XCTAssertEqual(reread.sentences[1].goldTags, ["B-PER", "I-PER"])
        XCTAssertEqual(reread.documentStartCount, 1)
    }

    func testWriterRejectsMismatchedPredictions() throws {
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conll/iob1-gold.txt"))

        XCTAssertThrowsError(try CoNLLPredictionWriter.format(document, predictions: [["O"]]))
        XCTAssertThrowsError(try CoNLLPredictionWriter.format(document), "a gold-only document has no predictions to write")
    }

    func testWriteToMissingFolderThrowsNamingPath() throws {
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conll/iob1-gold.txt"))
        let predictions = document.sentences.map(\.goldTags)
        let url = URL(fileURLWithPath: "/nonexistent/spectag/predictions.txt")
        let error = assertThrowsInputError(try CoNLLPredictionWriter.write(document, predictions: predictions, to: url))

        XCTAssertEqual(error?.file, url.path)
    }
}
