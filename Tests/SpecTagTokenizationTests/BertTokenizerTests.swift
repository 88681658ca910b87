import Foundation
import XCTest

@testable import SpecTagTokenization

/// Unit tests of BERT normalization, pre-tokenization and WordPiece rules on a tiny vocabulary.
final class BertTokenizerTests: XCTestCase {
    private static let vocabulary = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
        "un", "##aff", "##able", "unaff", "##a", "##ff", "##b", "##le",
        "cafe", "muller", "naive", "the", "stock", "##s", "rose", ".", ",", "!", "?", "$", "%", "-",
        "東", "京", "a", "b", "c", "x", "##x", "Apple", "apple", "'", "s", "don", "t",
    ]

    private func tokenizer(lowercase: Bool = true) throws -> BertTokenizer {
        try BertTokenizer(tokens: Self.vocabulary, options: .init(lowercase: lowercase))
    }

    private func tokens(_ text: String, lowercase: Bool = true) throws -> [String] {
        try tokenizer(lowercase: lowercase).tokenize(text).map(\.token)
    }

    // MARK: WordPiece

    func testWordPieceSplitsLongestMatchFirst() throws {
        // "unaff" beats "un" + "##aff" because the longest prefix wins at each position.
        XCTAssertEqual(try tokens("unaffable"), ["unaff", "##able"])
        XCTAssertEqual(try tokens("stocks"), ["stock", "##s"])
    }

    func testWordPieceUnknownWhenNoSegmentation() throws {
        // "z" is in no entry, so the whole word becomes one [UNK] covering it.
        let subwords = try tokenizer().tokenize("unaffz rose")
        XCTAssertEqual(subwords.map(\.token), ["[UNK]", "rose"])
        XCTAssertEqual(subwords[0].offsets, 0..<6)
    }

    func testWordPieceUnknownOverMaxInputCharacters() throws {
        let exactly100 = String(repeating: "x", count: 100)
        XCTAssertEqual(try tokens(exactly100).first, "x")
        XCTAssertEqual(try tokens(exactly100).count, 100)
        XCTAssertEqual(try tokens(exactly100 + "x"), ["[UNK]"])
    }

    // MARK: Normalization

    func testPunctuationSplitIntoSeparateWords() throws {
        let subwords = try tokenizer().tokenize("rose!?$")
        XCTAssertEqual(subwords.map(\.token), ["rose", "!", "?", "$"])
        XCTAssertEqual(subwords.map(\.wordIndex), [0, 1, 2, 3])
    }

    func testAccentStrippingKeepsOriginalOffsets() throws {
        let subwords = try tokenizer().tokenize("Café Müller naïve")
        XCTAssertEqual(subwords.map(\.token), ["cafe", "muller", "naive"])
        XCTAssertEqual(subwords.map(\.offsets), [0..<4, 5..<11, 12..<17])
    }

    func testDecomposedAccentOffsetsEndAtLastKeptScalar() throws {
        // "e" + U+0301 is two scalars. The stripped mark has no alignment left, so, as in
        // `tokenizers`, the word's offsets end after the "e".
        let subwords = try tokenizer().tokenize("Cafe\u{301} rose")
        XCTAssertEqual(subwords.map(\.token), ["cafe", "rose"])
        XCTAssertEqual(subwords.map(\.offsets), [0..<4, 6..<10])
    }

    func testCasedTokenizerKeepsCaseAndAccents() throws {
        XCTAssertEqual(try tokens("Apple", lowercase: false), ["Apple"])
        XCTAssertEqual(try tokens("apple", lowercase: false), ["apple"])
        XCTAssertEqual(try tokens("Café", lowercase: false), ["[UNK]"])
    }

    func testCJKCharactersBecomeSeparateWords() throws {
        let subwords = try tokenizer().tokenize("東京x")
        XCTAssertEqual(subwords.map(\.token), ["東", "京", "x"])
        XCTAssertEqual(subwords.map(\.wordIndex), [0, 1, 2])
        XCTAssertEqual(subwords.map(\.offsets), [0..<1, 1..<2, 2..<3])
    }

    func testControlCharactersRemovedInsideWord() throws {
        // NUL and U+200B vanish without splitting the word, and offsets span them.
        let subwords = try tokenizer().tokenize("ro\u{0}se\u{200B}\tx")
        XCTAssertEqual(subwords.map(\.token), ["rose", "x"])
        XCTAssertEqual(subwords.map(\.offsets), [0..<5, 7..<8])
    }

    func testSpecialTokenInTextKeptWhole() throws {
        let subwords = try tokenizer().tokenize("the [MASK] rose")
        XCTAssertEqual(subwords.map(\.token), ["the", "[MASK]", "rose"])
        XCTAssertEqual(subwords.map(\.id), [16, 4, 19])
        XCTAssertEqual(subwords[1].offsets, 4..<10)
    }

    func testEmptyAndWhitespaceTextGiveNoSubwords() throws {
        XCTAssertTrue(try tokenizer().tokenize("").isEmpty)
        XCTAssertTrue(try tokenizer().tokenize(" \t\r\n\u{A0}").isEmpty)
    }

    // MARK: Encoder

    func testEncodeAddsClsAndSep() throws {
        let encoding = try tokenizer().encode("the stocks")
        XCTAssertEqual(encoding.tokens, ["[CLS]", "the", "stock", "##s", "[SEP]"])
        XCTAssertEqual(encoding.wordIndices, [nil, 0, 1, 1, nil])
        XCTAssertEqual(encoding.offsets, [0..<0, 0..<3, 4..<9, 9..<10, 0..<0])
        XCTAssertEqual(encoding.attentionMask, [1, 1, 1, 1, 1])
    }

    func testEncodeTruncatesToMaxLength() throws {
        let encoding = try tokenizer().encode("the stocks rose", maxLength: 4)
        XCTAssertEqual(encoding.tokens, ["[CLS]", "the", "stock", "[SEP]"])
    }

    func testEncodePadsToLength() throws {
        let encoding = try tokenizer().encode("rose", padTo: 5)
        XCTAssertEqual(encoding.ids, [2, 19, 3, 0, 0])
        XCTAssertEqual(encoding.attentionMask, [1, 1, 1, 0, 0])
        XCTAssertEqual(encoding.wordIndices, [nil, 0, nil, nil, nil])
        XCTAssertEqual(encoding.offsets[3], 0..<0)
    }

    func testEncodeRejectsMaxLengthBelowTwo() throws {
        XCTAssertThrowsError(try tokenizer().encode("rose", maxLength: 1)) { error in
            XCTAssertEqual(
                error as? TokenizerError,
                .invalidArgument("maxLength must be at least 2 to hold the special tokens, got 1"))
        }
    }

    func testEncodeWordsUsesWordPositions() throws {
        let encoding = try tokenizer().encode(words: ["the", "stocks", "rose"])
        XCTAssertEqual(encoding.tokens, ["[CLS]", "the", "stock", "##s", "rose", "[SEP]"])
        XCTAssertEqual(encoding.wordIndices, [nil, 0, 1, 1, 2, nil])
        // Offsets are relative to each word by default.
        XCTAssertEqual(encoding.offsets, [0..<0, 0..<3, 0..<5, 5..<6, 0..<4, 0..<0])
    }

    func testEncodeWordsShiftsOffsetsByWordStarts() throws {
        let encoding = try tokenizer().encode(words: ["the", "stocks"], wordStarts: [0, 4])
        XCTAssertEqual(encoding.offsets, [0..<0, 0..<3, 4..<9, 9..<10, 0..<0])
        XCTAssertThrowsError(try tokenizer().encode(words: ["the"], wordStarts: [0, 4]))
    }

    func testEncodeWordsEmptyWordPolicy() throws {
        let words = ["the", "\u{200B}", "rose"]
        let withUnknown = try tokenizer().encode(words: words)
        XCTAssertEqual(withUnknown.tokens, ["[CLS]", "the", "[UNK]", "rose", "[SEP]"])
        XCTAssertEqual(withUnknown.wordIndices, [nil, 0, 1, 2, nil])
        XCTAssertEqual(withUnknown.offsets[2], 0..<1)

        let dropped = try tokenizer().encode(words: words, emptyWords: .dropped)
        XCTAssertEqual(dropped.tokens, ["[CLS]", "the", "rose", "[SEP]"])
        XCTAssertEqual(dropped.wordIndices, [nil, 0, 2, nil])
    }

    func testEncodeInChunksKeepsWordsWhole() throws {
        // "stocks" has two subwords and does not fit after "the" + "rose" in 3 slots.
        let chunks = try tokenizer().encodeInChunks(words: ["the", "rose", "stocks", "x"], maxLength: 5)
        XCTAssertEqual(chunks.map(\.tokens), [
            ["[CLS]", "the", "rose", "[SEP]"],
            ["[CLS]", "stock", "##s", "x", "[SEP]"],
        ])
        XCTAssertEqual(chunks[1].wordIndices, [nil, 2, 2, 3, nil])
        XCTAssertEqual(chunks[1].firstTokenPositions(wordCount: 4), [nil, nil, 1, 3])
    }

    func testEncodeInChunksCutsOverlongWord() throws {
        let chunks = try tokenizer().encodeInChunks(words: ["xxxx", "the"], maxLength: 4)
        XCTAssertEqual(chunks.map(\.tokens), [["[CLS]", "x", "##x", "[SEP]"], ["[CLS]", "the", "[SEP]"]])
        XCTAssertThrowsError(try tokenizer().encodeInChunks(words: ["the"], maxLength: 2))
    }

    func testIdAndTokenLookups() throws {
        let tokenizer = try tokenizer()
        XCTAssertEqual(tokenizer.vocabularySize, Self.vocabulary.count)
        XCTAssertEqual(tokenizer.id(of: "##able"), 7)
        XCTAssertNil(tokenizer.id(of: "missing"))
        XCTAssertEqual(tokenizer.token(of: 7), "##able")
        XCTAssertNil(tokenizer.token(of: -1))
        XCTAssertNil(tokenizer.token(of: Self.vocabulary.count))
        XCTAssertEqual(tokenizer.specialTokens.cls, SpecialToken(text: "[CLS]", id: 2))
        XCTAssertEqual(tokenizer.specialTokens.mask, SpecialToken(text: "[MASK]", id: 4))
    }

    func testVocabularyLookupDistinguishesCanonicalEquivalents() throws {
        // Swift treats these strings as equal; the vocabulary must not.
        let tokenizer = try BertTokenizer(
            tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "caf\u{E9}", "cafe\u{301}"], options: .init(lowercase: false))
        XCTAssertEqual(tokenizer.id(of: "caf\u{E9}"), 4)
        XCTAssertEqual(tokenizer.id(of: "cafe\u{301}"), 5)
        XCTAssertEqual(tokenizer.tokenize("cafe\u{301}").map(\.id), [5])
    }
}
