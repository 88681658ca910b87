import XCTest

@testable import SpecTagTokenization

final class WordSplitterTests: XCTestCase {
    private let splitter = WordSplitter()

    private func words(_ text: String) -> [String] {
        splitter.split(text).map(\.text)
    }

    func testSplitsPunctuationAndKeepsCompanyAbbreviations() {
        XCTAssertEqual(
            words("Apple Inc. shares rose 3.5% to $1.2 billion."),
            ["Apple", "Inc.", "shares", "rose", "3.5", "%", "to", "$", "1.2", "billion", "."])
    }

    func testKeepsLetterPeriodAbbreviations() {
        XCTAssertEqual(words("The U.S. and U.K. economies, e.g. Japan."), [
            "The", "U.S.", "and", "U.K.", "economies", ",", "e.g.", "Japan", ".",
        ])
        XCTAssertEqual(words("Coca-Cola Co. hired J. Smith and Mr. Jones."), [
            "Coca-Cola", "Co.", "hired", "J.", "Smith", "and", "Mr.", "Jones", ".",
        ])
    }

    func testKeepsNumbersWithSeparators() {
        XCTAssertEqual(words("Revenue of 1,200.50 million, up 5%, beat 3,000."), [
            "Revenue", "of", "1,200.50", "million", ",", "up", "5", "%", ",", "beat", "3,000", ".",
        ])
    }

    func testSplitsClitics() {
        XCTAssertEqual(words("Apple's CEO didn't say; O'Neill's firm can't."), [
            "Apple", "'s", "CEO", "did", "n't", "say", ";", "O'Neill", "'s", "firm", "ca", "n't", ".",
        ])
        XCTAssertEqual(words("Apple\u{2019}s don\u{2019}t"), ["Apple", "\u{2019}s", "do", "n\u{2019}t"])
        XCTAssertEqual(words("they're firms' CEOs"), ["they", "'re", "firms", "'", "CEOs"])
    }

    func testSplitsQuotesDashesAndRuns() {
        XCTAssertEqual(words("\u{201C}Quoted\u{201D} up\u{2014}down"), ["\u{201C}", "Quoted", "\u{201D}", "up", "\u{2014}", "down"])
        XCTAssertEqual(words("Really?!...--- no"), ["Really", "?", "!", "...", "---", "no"])
        XCTAssertEqual(words("S&P 500 (Amazon.com)."), ["S&P", "500", "(", "Amazon.com", ")", "."])
    }

    func testOffsetsAreScalarRanges() {
        let spans = splitter.split("Caf\u{E9} \u{1F4C8} \u{1F1FA}\u{1F1F8} rose")
        XCTAssertEqual(spans.map(\.text), ["Caf\u{E9}", "\u{1F4C8}", "\u{1F1FA}\u{1F1F8}", "rose"])
        XCTAssertEqual(spans.map(\.range), [0..<4, 5..<6, 7..<9, 10..<14])
    }

    func testEmptyAndWhitespaceTextGiveNoWords() {
        XCTAssertEqual(words(""), [])
        XCTAssertEqual(words(" \t\n\u{A0} "), [])
    }
}

final class SentenceSplitterTests: XCTestCase {
    private let splitter = SentenceSplitter()

    private func sentences(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return splitter.split(text).map { range in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
    }

    func testSplitsAtTerminatorBeforeCapital() {
        XCTAssertEqual(
            sentences("Apple rose. Microsoft fell! Why? 2024 was hard."),
            ["Apple rose.", "Microsoft fell!", "Why?", "2024 was hard."])
    }

    func testNoSplitAfterAbbreviationsAndInitials() {
        XCTAssertEqual(
            sentences("Mr. Smith met Apple Inc. officials in the U.S. Capitol. J. Jones left."),
            ["Mr. Smith met Apple Inc. officials in the U.S. Capitol.", "J. Jones left."])
    }

    func testNoSplitBeforeLowercase() {
        XCTAssertEqual(sentences("It closed at 5 p.m. yesterday. Then it fell."), ["It closed at 5 p.m. yesterday.", "Then it fell."])
    }

    func testClosingQuotesStayWithSentence() {
        XCTAssertEqual(
            sentences("\u{201C}We are cautious.\u{201D} The CFO left. \"Yes.\" \"No.\""),
            ["\u{201C}We are cautious.\u{201D}", "The CFO left.", "\"Yes.\"", "\"No.\""])
    }

    func testBlankLineSplits() {
        XCTAssertEqual(sentences("Headline without period\n\nBody starts here."), ["Headline without period", "Body starts here."])
        XCTAssertEqual(sentences("Line one\r\n  \r\nLine two"), ["Line one", "Line two"])
        XCTAssertEqual(sentences("line one\nline two"), ["line one\nline two"])
    }

    func testRangesExcludeSurroundingWhitespace() {
        XCTAssertEqual(splitter.split("  A b.  C d.  "), [2..<6, 8..<12])
        XCTAssertEqual(splitter.split(""), [])
        XCTAssertEqual(splitter.split(" \n\n "), [])
    }
}
