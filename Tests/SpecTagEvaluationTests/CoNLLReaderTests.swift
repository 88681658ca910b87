import Foundation
import SpecTagEvaluation
import XCTest

final class CoNLLReaderTests: XCTestCase {
    // MARK: Layout

    func testReaderSplitsSentencesAndKeepsDocumentStarts() throws {
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conll/iob1-gold.txt"))

        XCTAssertEqual(document.documentStartCount, 1)
        XCTAssertEqual(document.sentences.count, 3)
        XCTAssertEqual(document.tokenCount, 16)
        guard case .documentStart(let start) = document.elements.first else {
            return XCTFail("the first element should be the -DOCSTART- line, got \(String(describing: document.elements.first))")
        }
        XCTAssertEqual(start.columns, ["-DOCSTART-", "-X-", "O", "O"])
        XCTAssertEqual(start.lineNumber, 1)

        let first = try XCTUnwrap(document.sentences.first?.tokens.first)
        XCTAssertEqual(first.word, "EU")
        XCTAssertEqual(first.features, ["EU", "NNP", "I-NP"])
        XCTAssertEqual(first.lineNumber, 3)
        XCTAssertNil(first.predictedTag)
        XCTAssertEqual(document.sentences[1].words, ["Peter", "Blackburn"])
    }

    func testReaderAcceptsCRLFTabsAndMissingFinalNewline() throws {
        let text = "-DOCSTART- -X- -X- O\r\n\r\nAcme\tNNP\tB-ORG\r\nrose  VBD   O\r\n\r\n\r\nin IN O\r\nOslo NNP B-LOC"
        let document = try CoNLLReader.parse(Data(text.utf8), fileName: "inline.txt")

        XCTAssertEqual(document.sentences.count, 2)
        XCTAssertEqual(document.sentences[0].goldTags, ["B-ORG", "O"])
        XCTAssertEqual(document.sentences[0].tokens[1].features, ["rose", "VBD"])
        XCTAssertEqual(document.sentences[1].goldTags, ["O", "B-LOC"])
        XCTAssertEqual(document.sentences[1].tokens[1].lineNumber, 8)
    }

    func testDocumentStartEndsSentenceWithoutBlankLine() throws {
        let text = "Acme NNP B-ORG\n-DOCSTART- -X- -X- O\nOslo NNP B-LOC\n"
        let document = try CoNLLReader.parse(Data(text.utf8), fileName: "inline.txt")

        XCTAssertEqual(document.sentences.count, 2)
        XCTAssertEqual(document.elements.count, 3)
    }

    func testBoundaryMarkerLineEndsSentence() throws {
        // conlleval.pl treats a line whose first column is -X- like a blank line.
        let text = "Acme NNP B-ORG\n-X- -X- O\nOslo NNP B-LOC\n"
        let document = try CoNLLReader.parse(Data(text.utf8), fileName: "inline.txt")

        XCTAssertEqual(document.sentences.count, 2)
        XCTAssertEqual(document.documentStartCount, 0)
    }

    func testReaderReadsPredictionColumn() throws {
        let options = CoNLLReadOptions(hasPredictionColumn: true, convertsToIOB2: false)
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conlleval/chunk-rules.txt"), options: options)

        let first = try XCTUnwrap(document.sentences.first)
        XCTAssertEqual(first.goldTags, ["B-PER", "I-PER", "B-PER", "O", "B-MISC", "O"])
        XCTAssertEqual(first.predictedTags, ["B-PER", "I-PER", "I-PER", "O", "O", "B-PER"])
        XCTAssertEqual(first.tokens[0].features, ["John", "NNP"])
    }

    func testReaderAcceptsAnyTypeWhenTypesAreOpen() throws {
        let text = "Acme NNP B-COMPANY\nshares NNS O\n"
        let open = CoNLLReadOptions(entityTypes: nil)
        let document = try CoNLLReader.parse(Data(text.utf8), fileName: "inline.txt", options: open)

        XCTAssertEqual(document.sentences.first?.goldTags, ["B-COMPANY", "O"])
        let error = assertThrowsInputError(try CoNLLReader.parse(Data(text.utf8), fileName: "inline.txt"))
        XCTAssertEqual(error?.line, 1)
    }

    // MARK: Tag schemes

    func testReaderDetectsAndConvertsIOB1() throws {
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conll/iob1-gold.txt"))

        XCTAssertEqual(document.sourceScheme, .iob1)
        XCTAssertTrue(document.isConvertedToIOB2)
        let sentences = document.sentences
        XCTAssertEqual(sentences[0].goldTags, ["B-ORG", "O", "B-MISC", "O", "O", "O", "B-MISC", "O", "O"])
        XCTAssertEqual(sentences[1].goldTags, ["B-PER", "I-PER"])
        // France keeps B-LOC: in IOB1 it already separates two adjacent LOC entities.
        XCTAssertEqual(sentences[2].goldTags, ["O", "O", "B-LOC", "B-LOC", "O"])
    }

    func testReaderKeepsIOB1TagsWhenConversionIsOff() throws {
        let options = CoNLLReadOptions(convertsToIOB2: false)
        let document = try CoNLLReader.read(contentsOf: fixtureURL("conll/iob1-gold.txt"), options: options)

        XCTAssertEqual(document.sourceScheme, .iob1)
        XCTAssertFalse(document.isConvertedToIOB2)
        XCTAssertEqual(document.sentences[1].goldTags, ["I-PER", "I-PER"])
    }

    func testReaderDetectsIOB2() throws {
        let text = "Acme NNP B-ORG\nCorp NNP I-ORG\nand CC O\nBeta NNP B-ORG\n"
        let document = try CoNLLReader.parse(Data(text.utf8), fileName: "inline.txt")

        XCTAssertEqual(document.sourceScheme, .iob2)
        XCTAssertFalse(document.isConvertedToIOB2)
    }

    func testForcedIOB2SchemeKeepsStrayInsideTags() throws {
        let text = "Acme NNP I-ORG\nrose VBD O\n"
        let options = CoNLLReadOptions(scheme: .forced(.iob2))
        let document = try CoNLLReader.parse(Data(text.utf8), fileName: "inline.txt", options: options)

        XCTAssertEqual(document.sourceScheme, .iob2)
        XCTAssertEqual(document.sentences.first?.goldTags, ["I-ORG", "O"])
    }

    func testForcedIOB1SchemeConvertsPredictions() throws {
        let text = "Acme NNP I-ORG I-ORG\nrose VBD O I-LOC\n"
        let options = CoNLLReadOptions(hasPredictionColumn: true, scheme: .forced(.iob1))
        let document = try CoNLLReader.parse(Data(text.utf8), fileName: "inline.txt", options: options)

        XCTAssertEqual(document.sentences.first?.goldTags, ["B-ORG", "O"])
        XCTAssertEqual(document.sentences.first?.predictedTags, ["B-ORG", "B-LOC"])
    }

    func testSchemeDetectionRule() {
        // I-X starting an entity after the sentence start, after O or after another type
        // marks IOB1. B-X starts and I-X continuations do not.
        XCTAssertEqual(BIOTags.detectScheme(in: [["I-PER", "O"]]), .iob1)
        XCTAssertEqual(BIOTags.detectScheme(in: [["O", "I-PER"]]), .iob1)
        XCTAssertEqual(BIOTags.detectScheme(in: [["B-ORG", "I-PER"]]), .iob1)
        XCTAssertEqual(BIOTags.detectScheme(in: [["B-PER", "I-PER", "B-PER"]]), .iob2)
        XCTAssertEqual(BIOTags.detectScheme(in: [["O", "O"], []]), .iob2)
    }

    func testIOB1ConversionMatchesHandConversion() {
        let iob1 = ["I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG", "I-ORG"]
        let iob2 = ["B-PER", "I-PER", "B-PER", "O", "B-LOC", "B-ORG", "I-ORG"]

        XCTAssertEqual(BIOTags.convertIOB1ToIOB2(iob1), iob2)
        XCTAssertEqual(BIOTags.convertIOB1ToIOB2(iob2), iob2, "conversion must not change IOB2")
    }

    func testTagParsingSplitsAtFirstHyphen() {
        XCTAssertEqual(BIOTag("B-ORG-SUB"), .begin("ORG-SUB"))
        XCTAssertEqual(BIOTag("I-PER"), .inside("PER"))
        XCTAssertEqual(BIOTag("O"), .outside)
        XCTAssertNil(BIOTag("B-"))
        XCTAssertNil(BIOTag("E-PER"))
        XCTAssertNil(BIOTag("PER"))
    }

    // MARK: Errors

    func testOneColumnLineThrowsWithFileAndLine() throws {
        let url = try fixtureURL("conll/one-column.txt")
        let error = assertThrowsInputError(try CoNLLReader.read(contentsOf: url))

        XCTAssertEqual(error?.line, 2)
        XCTAssertEqual(error?.file, url.path)
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("one-column.txt:2:"), message)
        XCTAssertTrue(message.contains("found 1"), message)
    }

    func testUnknownTagThrowsWithFileAndLine() throws {
        let url = try fixtureURL("conll/unknown-tag.txt")
        let error = assertThrowsInputError(try CoNLLReader.read(contentsOf: url))

        XCTAssertEqual(error?.line, 3)
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("unknown-tag.txt:3:"), message)
        XCTAssertTrue(message.contains("'B-CITY'"), message)
        XCTAssertTrue(message.contains("LOC, MISC, ORG, PER"), message)
    }

    func testUnknownPredictedTagThrows() {
        let text = "Acme NNP B-ORG B-ORG\nrose VBD O X-ORG\n"
        let options = CoNLLReadOptions(hasPredictionColumn: true)
        let error = assertThrowsInputError(try CoNLLReader.parse(Data(text.utf8), fileName: "preds.txt", options: options))

        XCTAssertEqual(error?.line, 2)
        XCTAssertTrue(error?.problem.contains("predicted tag 'X-ORG'") ?? false, error?.problem ?? "")
    }

    func testBinaryFileThrowsWithFileAndLine() throws {
        let url = try fixtureURL("conll/binary.bin")
        let error = assertThrowsInputError(try CoNLLReader.read(contentsOf: url))

        XCTAssertEqual(error?.line, 2)
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("binary.bin:2:"), message)
        XCTAssertTrue(message.contains("NUL"), message)
    }

    func testInvalidUTF8ThrowsWithLine() {
        var data = Data("Acme NNP B-ORG\n".utf8)
        data.append(contentsOf: [0x4D, 0xFC, 0x6E, 0x20, 0x4F, 0x0A])  // "Mün O" in latin-1
        let error = assertThrowsInputError(try CoNLLReader.parse(data, fileName: "latin1.txt"))

        XCTAssertEqual(error?.line, 2)
        XCTAssertTrue(error?.description.hasPrefix("latin1.txt:2:") ?? false, error?.description ?? "")
        XCTAssertTrue(error?.problem.contains("UTF-8") ?? false, error?.problem ?? "")
    }

    func testColumnCountChangeThrows() {
        let text = "Acme NNP B-NP B-ORG\nrose VBD O\n"
        let error = assertThrowsInputError(try CoNLLReader.parse(Data(text.utf8), fileName: "ragged.txt"))

        XCTAssertEqual(error?.line, 2)
        XCTAssertTrue(error?.problem.contains("line 1 has 4") ?? false, error?.problem ?? "")
    }

    func testMissingPredictionColumnThrows() {
        let text = "Acme B-ORG\n"
        let options = CoNLLReadOptions(hasPredictionColumn: true)
        let error = assertThrowsInputError(try CoNLLReader.parse(Data(text.utf8), fileName: "gold.txt", options: options))

        XCTAssertEqual(error?.line, 1)
        XCTAssertTrue(error?.problem.contains("at least 3 columns") ?? false, error?.problem ?? "")
    }

    func testMissingFileThrowsNamingPath() {
        let url = URL(fileURLWithPath: "/nonexistent/spectag/eng.testa")
        let error = assertThrowsInputError(try CoNLLReader.read(contentsOf: url))

        XCTAssertNil(error?.line)
        XCTAssertTrue(error?.description.hasPrefix("/nonexistent/spectag/eng.testa: ") ?? false, error?.description ?? "")
    }
}
