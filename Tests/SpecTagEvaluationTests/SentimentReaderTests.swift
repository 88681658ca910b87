import Foundation
import SpecTagEvaluation
import XCTest

final class SentimentReaderTests: XCTestCase {
    // MARK: Financial PhraseBank

    func testPhraseBankLatin1SplitsOnLastAt() throws {
        let records = try PhraseBankReader.read(contentsOf: fixtureURL("sentiment/phrasebank-latin1.txt"))

        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records[0].text, "Operating profit rose to EUR 13.1 mn , said CFO Jos\u{E9} Garc\u{ED}a .")
        XCTAssertEqual(records[0].label, "positive")
        XCTAssertEqual(records[1].text, "Contact investor.relations@example.com for the report .")
        XCTAssertEqual(records[1].label, "neutral")
        // Line 3 is blank, and line 4 has spaces around the sentence and the label.
        XCTAssertEqual(records[2].text, "Net sales fell 5 % in the caf\u{E9} segment .")
        XCTAssertEqual(records[2].label, "negative")
        XCTAssertEqual(records.map(\.lineNumber), [1, 2, 4])
    }

    func testPhraseBankReaderReadsUTF8() throws {
        let text = "Caf\u{E9} chain Oy@Bank reports profit@positive\n"
        let records = try PhraseBankReader.parse(Data(text.utf8), fileName: "utf8.txt")

        XCTAssertEqual(records, [LabeledText(text: "Caf\u{E9} chain Oy@Bank reports profit", label: "positive", lineNumber: 1)])
    }

    func testPhraseBankReaderRejectsBadLines() {
        let missingAt = assertThrowsInputError(
            try PhraseBankReader.parse(Data("ok@neutral\nno separator here\n".utf8), fileName: "bank.txt"))
        XCTAssertEqual(missingAt?.line, 2)
        XCTAssertTrue(missingAt?.description.hasPrefix("bank.txt:2:") ?? false, missingAt?.description ?? "")

        let unknownLabel = assertThrowsInputError(
            try PhraseBankReader.parse(Data("Shares rose@bullish\n".utf8), fileName: "bank.txt"))
        XCTAssertEqual(unknownLabel?.line, 1)
        XCTAssertTrue(unknownLabel?.problem.contains("'bullish'") ?? false, unknownLabel?.problem ?? "")

        let emptySentence = assertThrowsInputError(try PhraseBankReader.parse(Data("  @neutral\n".utf8), fileName: "bank.txt"))
        XCTAssertEqual(emptySentence?.line, 1)

        let binary = assertThrowsInputError(try PhraseBankReader.parse(Data([0x61, 0x40, 0x00]), fileName: "bank.bin"))
        XCTAssertEqual(binary?.line, 1)
    }

    func testPhraseBankReaderAcceptsAnyLabelWhenOpen() throws {
        let records = try PhraseBankReader.parse(Data("Shares rose@bullish\n".utf8), fileName: "bank.txt", labels: nil)

        XCTAssertEqual(records.first?.label, "bullish")
    }

    // MARK: CSV

    func testCSVParserHandlesQuotesAndEmbeddedNewlines() throws {
        let text = try fixtureText("sentiment/tweets.csv")
        let records = try CSVParser.parse(text, fileName: "tweets.csv")

        XCTAssertEqual(records.map(\.fields.count), [3, 3, 3, 3, 3])
        XCTAssertEqual(records[1].fields[1], "Shares of \"Acme\" jumped, analysts said")
        XCTAssertEqual(records[2].fields[1], "Profit warning\r\nissued after the close")
        // The record after the quoted line break starts on line 6, after a blank line 5.
        XCTAssertEqual(records.map(\.lineNumber), [1, 2, 3, 6, 7])
        XCTAssertEqual(records[4].fields, ["4", "", "2"])
    }

    func testCSVParserRejectsUnclosedQuote() {
        let error = assertThrowsInputError(try CSVParser.parse("text,label\nok,1\n\"never closed,0\nmore,1\n", fileName: "bad.csv"))

        XCTAssertEqual(error?.line, 3)
        XCTAssertTrue(error?.problem.contains("not closed") ?? false, error?.problem ?? "")
    }

    func testCSVParserRejectsTextAfterClosingQuote() {
        let error = assertThrowsInputError(try CSVParser.parse("text,label\n\"quoted\"tail,1\n", fileName: "bad.csv"))

        XCTAssertEqual(error?.line, 2)
    }

    func testCSVParserKeepsQuoteInsideUnquotedField() throws {
        let records = try CSVParser.parse("a 5\" screen,1\n", fileName: "inline.csv")

        XCTAssertEqual(records.first?.fields, ["a 5\" screen", "1"])
    }

    func testSentimentCSVReaderMapsLabelsByColumnName() throws {
        let mapping = try LabelMapping(parsing: "0=negative,1=positive,2=neutral")
        let options = SentimentCSVOptions(labelMapping: mapping)
        let records = try SentimentCSVReader.read(contentsOf: fixtureURL("sentiment/tweets.csv"), options: options)

        XCTAssertEqual(records.map(\.label), ["positive", "negative", "neutral", "neutral"])
        XCTAssertEqual(records[1].text, "Profit warning\r\nissued after the close")
        XCTAssertEqual(records[1].lineNumber, 3)
        XCTAssertEqual(records[3].text, "")
    }

    func testSentimentCSVReaderSelectsColumnsByIndex() throws {
        let options = SentimentCSVOptions(textColumn: CSVColumn(parsing: "1"), labelColumn: CSVColumn(parsing: "0"), hasHeader: false)
        let records = try SentimentCSVReader.parse(Data("x,Shares fell\ny,Shares rose\n".utf8), fileName: "inline.csv", options: options)

        XCTAssertEqual(records.map(\.text), ["Shares fell", "Shares rose"])
        XCTAssertEqual(records.map(\.label), ["x", "y"])
        XCTAssertEqual(CSVColumn(parsing: "text"), .name("text"))
    }

    func testSentimentCSVReaderErrorsNameFileAndLine() throws {
        let url = try fixtureURL("sentiment/tweets.csv")
        let missingColumn = assertThrowsInputError(
            try SentimentCSVReader.read(contentsOf: url, options: SentimentCSVOptions(textColumn: .name("sentence"))))
        XCTAssertEqual(missingColumn?.line, 1)
        XCTAssertTrue(missingColumn?.problem.contains("id, text, label") ?? false, missingColumn?.problem ?? "")

        let unmapped = assertThrowsInputError(
            try SentimentCSVReader.read(
                contentsOf: url, options: SentimentCSVOptions(labelMapping: LabelMapping(["0": "negative", "1": "positive"]))))
        XCTAssertEqual(unmapped?.line, 6)
        XCTAssertTrue(unmapped?.description.contains("tweets.csv:6:") ?? false, unmapped?.description ?? "")

        let shortRecord = assertThrowsInputError(
            try SentimentCSVReader.parse(Data("text,label\nonly text\n".utf8), fileName: "short.csv"))
        XCTAssertEqual(shortRecord?.line, 2)

        let byNameWithoutHeader = assertThrowsInputError(
            try SentimentCSVReader.parse(Data("a,b\n".utf8), fileName: "nohead.csv", options: SentimentCSVOptions(hasHeader: false)))
        XCTAssertNil(byNameWithoutHeader?.line)
    }

    func testLabelMappingParsing() throws {
        let mapping = try LabelMapping(parsing: " 0 = Bearish , 1=Bullish,2=Neutral")

        XCTAssertEqual(mapping.labels, ["0": "Bearish", "1": "Bullish", "2": "Neutral"])
        XCTAssertThrowsError(try LabelMapping(parsing: "0=negative,1"))
        XCTAssertThrowsError(try LabelMapping(parsing: "0=negative,0=positive"))
        XCTAssertThrowsError(try LabelMapping(parsing: "=negative"))
    }
}
