import Foundation
import XCTest

@testable import SpecTagTokenization

/// Unit tests of Unigram segmentation, normalization steps and Metaspace on tiny tokenizer.json files.
final class UnigramTokenizerTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryFolder()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func tokenizer(_ json: String = UnigramJSON.make()) throws -> UnigramTokenizer {
        let url = folder.appendingPathComponent("tokenizer-\(UUID().uuidString).json")
        try json.write(to: url, atomically: true, encoding: .utf8)
        return try UnigramTokenizer(tokenizerJSON: url)
    }

    // MARK: Viterbi

    func testViterbiPicksHighestTotalScore() throws {
        // "▁ab" + "c" scores -6.5, better than "▁" + "abc" (-7.5) although "abc" is longer.
        let subwords = try tokenizer().tokenize("abc")
        XCTAssertEqual(subwords.map(\.token), ["▁ab", "c"])
        XCTAssertEqual(subwords.map(\.id), [10, 9])
        XCTAssertEqual(subwords.map(\.offsets), [0..<2, 2..<3])
    }

    func testUnknownCharactersFuseIntoOneToken() throws {
        let subwords = try tokenizer().tokenize("abxyc")
        XCTAssertEqual(subwords.map(\.token), ["▁ab", "xy", "c"])
        XCTAssertEqual(subwords.map(\.id), [10, 3, 9])
        XCTAssertEqual(subwords.map(\.offsets), [0..<2, 2..<4, 4..<5])
    }

    func testByteFallbackSpellsUnknownBytes() throws {
        let subwords = try tokenizer(UnigramJSON.make(byteFallback: true)).tokenize("\u{E9}")
        XCTAssertEqual(subwords.map(\.token), ["▁", "<0xC3>", "<0xA9>"])
        XCTAssertEqual(subwords.map(\.offsets), [0..<1, 0..<1, 0..<1])
        // A byte without its <0xXX> piece falls back to the unknown piece.
        XCTAssertEqual(try tokenizer(UnigramJSON.make(byteFallback: true)).tokenize("x").map(\.id), [4, 3])
    }

    // MARK: Metaspace

    func testMetaspaceSplitsBeforeEachSpace() throws {
        let subwords = try tokenizer().tokenize("ab ab")
        XCTAssertEqual(subwords.map(\.token), ["▁ab", "▁ab"])
        XCTAssertEqual(subwords.map(\.wordIndex), [0, 1])
        XCTAssertEqual(subwords.map(\.offsets), [0..<2, 2..<5])
    }

    func testPrependSchemes() throws {
        XCTAssertEqual(try tokenizer(UnigramJSON.make(prependScheme: "never")).tokenize("ab").map(\.token), ["ab"])
        XCTAssertEqual(try tokenizer(UnigramJSON.make(prependScheme: "always")).tokenize("<s>ab").map(\.token), ["<s>", "▁ab"])
        XCTAssertEqual(try tokenizer(UnigramJSON.make(prependScheme: "first")).tokenize("<s>ab").map(\.token), ["<s>", "ab"])
        XCTAssertEqual(try tokenizer(UnigramJSON.make(prependScheme: "first")).tokenize("ab").map(\.token), ["▁ab"])
    }

    // MARK: Normalizers

    func testReplaceAlignsWithLastReplacedSpace() throws {
        let json = UnigramJSON.make(
            normalizer: #"{"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}"#)
        let subwords = try tokenizer(json).tokenize("a   b")
        XCTAssertEqual(subwords.map(\.token), ["▁", "a", "▁", "b"])
        XCTAssertEqual(subwords.map(\.offsets), [0..<1, 0..<1, 3..<4, 4..<5])
    }

    func testLiteralReplaceAndStripAndLowercase() throws {
        let json = UnigramJSON.make(normalizer: #"""
            {"type": "Sequence", "normalizers": [{"type": "Strip", "strip_left": true, "strip_right": true},
             {"type": "Lowercase"}, {"type": "Replace", "pattern": {"String": "c"}, "content": "ab"}]}
            """#)
        let subwords = try tokenizer(json).tokenize("  AC ")
        XCTAssertEqual(subwords.map(\.token), ["▁", "a", "ab"])
        XCTAssertEqual(subwords.map(\.offsets), [2..<3, 2..<3, 3..<4])
    }

    // MARK: Special tokens and lookups

    func testSpecialTokensFromTemplate() throws {
        let tokenizer = try tokenizer()
        XCTAssertEqual(tokenizer.specialTokens.cls, SpecialToken(text: "<s>", id: 0))
        XCTAssertEqual(tokenizer.specialTokens.sep, SpecialToken(text: "</s>", id: 2))
        XCTAssertEqual(tokenizer.specialTokens.pad, SpecialToken(text: "<pad>", id: 1))
        XCTAssertEqual(tokenizer.specialTokens.unk, SpecialToken(text: "<unk>", id: 3))
        XCTAssertNil(tokenizer.specialTokens.mask)
        XCTAssertEqual(tokenizer.vocabularySize, 16)
        XCTAssertEqual(tokenizer.id(of: "▁ab"), 10)
        XCTAssertEqual(tokenizer.token(of: 10), "▁ab")
        XCTAssertNil(tokenizer.token(of: 16))
    }

    func testEncodeWrapsInSentenceTokens() throws {
        let encoding = try tokenizer().encode("ab", padTo: 4)
        XCTAssertEqual(encoding.tokens, ["<s>", "▁ab", "</s>", "<pad>"])
        XCTAssertEqual(encoding.attentionMask, [1, 1, 1, 0])
    }
}

/// Alignment rules of Unicode normalization, checked against values printed by `tokenizers` 0.23.
final class NormalizedTextTests: XCTestCase {
    private func normalized(_ text: String, _ form: NormalizationForm) -> [(String, Range<Int>)] {
        var normalized = NormalizedText(text.unicodeScalars)
        normalized.normalize(form)
        return zip(normalized.scalars, normalized.alignments).map { (String($0.0), $0.1) }
    }

    private func assertAlignments(
        _ actual: [(String, Range<Int>)], _ expected: [(String, Range<Int>)], file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertEqual(actual.map { scalars($0.0) }, expected.map { scalars($0.0) }, "scalars", file: file, line: line)
        XCTAssertEqual(actual.map(\.1), expected.map(\.1), "alignments", file: file, line: line)
    }

    func testNFKCExpansionSharesAlignment() {
        assertAlignments(normalized("\u{FB01}n", .nfkc), [("f", 0..<1), ("i", 0..<1), ("n", 1..<2)])
        assertAlignments(normalized("\u{BD}", .nfkc), [("1", 0..<1), ("\u{2044}", 0..<1), ("2", 0..<1)])
    }

    func testNFKCCompositionKeepsStarterAlignment() {
        assertAlignments(normalized("e\u{301}", .nfkc), [("\u{E9}", 0..<1)])
        assertAlignments(normalized("a\u{301}\u{323}b", .nfkc), [("\u{1EA1}", 0..<1), ("\u{301}", 2..<3), ("b", 3..<4)])
    }

    func testNFKCComposesHangulJamo() {
        assertAlignments(normalized("\u{1100}\u{1161}\u{11A8}", .nfkc), [("\u{AC01}", 0..<1)])
    }

    func testNFDReorderingLeavesAlignmentsInPlace() {
        assertAlignments(
            normalized("a\u{301}\u{323}b", .nfd), [("a", 0..<1), ("\u{323}", 1..<2), ("\u{301}", 2..<3), ("b", 3..<4)])
    }

    func testLowercaseExpansionSharesAlignment() {
        var text = NormalizedText("A\u{130}S".unicodeScalars)
        text.lowercase()
        XCTAssertEqual(text.scalars, ["a", "i", "\u{307}", "s"])
        XCTAssertEqual(text.alignments, [0..<1, 1..<2, 1..<2, 2..<3])
    }
}
