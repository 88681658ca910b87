import Foundation
import XCTest

@testable import SpecTagTokenization

/// Loading tokenizers from files, and the errors for missing or malformed files.
final class TokenizerLoadingTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryFolder()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func write(_ text: String, to name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    // MARK: WordPiece files

    func testBertFolderReadsConfiguration() throws {
        _ = try write("[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nApple\r\napple\r\n", to: "vocab.txt")
        _ = try write(#"{"do_lower_case": false, "strip_accents": null, "tokenize_chinese_chars": true}"#,
                      to: "tokenizer_config.json")
        let tokenizer = try BertTokenizer(folder: folder)
        XCTAssertFalse(tokenizer.options.lowercase)
        XCTAssertEqual(tokenizer.vocabularySize, 6)
        XCTAssertEqual(tokenizer.tokenize("Apple").map(\.id), [4])
    }

    func testBertFolderWithoutConfigurationLowercases() throws {
        _ = try write("[PAD]\n[UNK]\n[CLS]\n[SEP]\napple\n", to: "vocab.txt")
        let tokenizer = try BertTokenizer(folder: folder)
        XCTAssertTrue(tokenizer.options.lowercase)
        XCTAssertEqual(tokenizer.tokenize("APPLE").map(\.id), [4])
    }

    func testMissingVocabularyNamesFile() throws {
        let missing = folder.appendingPathComponent("vocab.txt")
        XCTAssertThrowsError(try BertTokenizer(vocabularyFile: missing)) { error in
            XCTAssertEqual(error as? TokenizerError, .fileNotFound(path: missing.path))
            XCTAssertTrue("\(error)".contains(missing.path))
        }
    }

    func testVocabularyWithoutUnknownTokenRejected() throws {
        let url = try write("[PAD]\n[CLS]\n[SEP]\nthe\n", to: "vocab.txt")
        XCTAssertThrowsError(try BertTokenizer(vocabularyFile: url)) { error in
            XCTAssertEqual(
                error as? TokenizerError,
                .invalidFile(path: url.path, reason: "the vocabulary has no unknown token \"[UNK]\""))
        }
    }

    func testEmptyVocabularyRejected() throws {
        let url = try write("", to: "vocab.txt")
        XCTAssertThrowsError(try BertTokenizer(vocabularyFile: url)) { error in
            XCTAssertEqual(error as? TokenizerError, .invalidFile(path: url.path, reason: "the vocabulary contains no tokens"))
        }
    }

    func testNonUTF8VocabularyRejected() throws {
        let url = folder.appendingPathComponent("vocab.txt")
        try Data([0x5B, 0x55, 0xFF, 0xFE, 0x0A]).write(to: url)
        XCTAssertThrowsError(try BertTokenizer(vocabularyFile: url)) { error in
            XCTAssertEqual(error as? TokenizerError, .unreadableFile(path: url.path, reason: "the content is not valid UTF-8"))
        }
    }

    func testMalformedConfigurationRejected() throws {
        _ = try write("[PAD]\n[UNK]\n[CLS]\n[SEP]\n", to: "vocab.txt")
        let configuration = try write(#"{"do_lower_case": "yes"}"#, to: "tokenizer_config.json")
        XCTAssertThrowsError(try BertTokenizer(folder: folder)) { error in
            XCTAssertEqual(
                error as? TokenizerError,
                .invalidFile(path: configuration.path, reason: "\"do_lower_case\" must be true, false or null"))
        }
        _ = try write("{not json", to: "tokenizer_config.json")
        XCTAssertThrowsError(try BertTokenizer(folder: folder)) { error in
            guard case .invalidFile(let path, let reason)? = error as? TokenizerError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(path, configuration.path)
            XCTAssertTrue(reason.hasPrefix("not valid JSON"), reason)
        }
    }

    // MARK: tokenizer.json files

    func testMissingTokenizerJSONNamesFile() throws {
        let missing = folder.appendingPathComponent("tokenizer.json")
        XCTAssertThrowsError(try UnigramTokenizer(folder: folder)) { error in
            XCTAssertEqual(error as? TokenizerError, .fileNotFound(path: missing.path))
        }
    }

    func testTokenizerJSONNotAnObjectRejected() throws {
        let url = try write("[1, 2]", to: "tokenizer.json")
        XCTAssertThrowsError(try UnigramTokenizer(tokenizerJSON: url)) { error in
            XCTAssertEqual(error as? TokenizerError, .invalidFile(path: url.path, reason: "the top level is not a JSON object"))
        }
    }

    func testTokenizerJSONWithBPEModelRejected() throws {
        let url = try write(#"{"model": {"type": "BPE", "vocab": {}}}"#, to: "tokenizer.json")
        XCTAssertThrowsError(try UnigramTokenizer(tokenizerJSON: url)) { error in
            XCTAssertEqual(
                error as? TokenizerError,
                .unsupportedComponent(path: url.path, component: "model type \"BPE\" (expected \"Unigram\")"))
        }
    }

    func testTokenizerJSONWithoutUnknownIDRejected() throws {
        let json = UnigramJSON.make(unknownID: "null")
        let url = try write(json, to: "tokenizer.json")
        XCTAssertThrowsError(try UnigramTokenizer(tokenizerJSON: url)) { error in
            XCTAssertEqual(
                error as? TokenizerError,
                .invalidFile(path: url.path, reason: "\"model.unk_id\" is missing; this tokenizer needs an unknown piece"))
        }
    }

    func testTokenizerJSONWithBadVocabularyEntryRejected() throws {
        let json = UnigramJSON.make(vocabulary: #"[["<unk>", 0.0], ["<s>"], ["</s>", 0.0], ["<pad>", 0.0]]"#)
        let url = try write(json, to: "tokenizer.json")
        XCTAssertThrowsError(try UnigramTokenizer(tokenizerJSON: url)) { error in
            XCTAssertEqual(
                error as? TokenizerError,
                .invalidFile(path: url.path, reason: "\"model.vocab\" entry 1 is not a [piece, score] pair"))
        }
    }

    func testTokenizerJSONWithUnsupportedNormalizerRejected() throws {
        let json = UnigramJSON.make(normalizer: #"{"type": "BertNormalizer"}"#)
        let url = try write(json, to: "tokenizer.json")
        XCTAssertThrowsError(try UnigramTokenizer(tokenizerJSON: url)) { error in
            XCTAssertEqual(
                error as? TokenizerError,
                .unsupportedComponent(path: url.path, component: "normalizer type \"BertNormalizer\""))
        }
    }

    func testTokenizerJSONWithInvalidRegexRejected() throws {
        let json = UnigramJSON.make(
            normalizer: #"{"type": "Replace", "pattern": {"Regex": "(unclosed"}, "content": " "}"#)
        let url = try write(json, to: "tokenizer.json")
        XCTAssertThrowsError(try UnigramTokenizer(tokenizerJSON: url)) { error in
            guard case .invalidFile(let path, let reason)? = error as? TokenizerError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(path, url.path)
            XCTAssertTrue(reason.contains("(unclosed"), reason)
        }
    }

    func testPrecompiledNormalizerLoadsAsNFKC() throws {
        let json = UnigramJSON.make(
            normalizer: #"{"type": "Sequence", "normalizers": [{"type": "Precompiled", "precompiled_charsmap": "AA=="}]}"#)
        let tokenizer = try UnigramTokenizer(tokenizerJSON: try write(json, to: "tokenizer.json"))
        // NFKC turns the "ﬁ" ligature into "f" + "i".
        XCTAssertEqual(tokenizer.tokenize("\u{FB01}").map(\.token), ["▁", "f", "i"])
    }
}

/// Builds small Unigram `tokenizer.json` texts for tests.
enum UnigramJSON {
    static let defaultVocabulary = #"""
        [["<s>", 0.0], ["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], ["▁", -2.0], ["a", -3.0], ["b", -3.0],
         ["ab", -4.0], ["abc", -5.5], ["c", -3.0], ["▁ab", -3.5], ["f", -3.0], ["i", -3.0], ["d", -9.0],
         ["<0xC3>", -8.0], ["<0xA9>", -8.0]]
        """#

    static func make(
        vocabulary: String = defaultVocabulary, unknownID: String = "3", byteFallback: Bool = false,
        normalizer: String = "null", prependScheme: String = "always"
    ) -> String {
        #"""
        {"version": "1.0", "truncation": null, "padding": null,
         "added_tokens": [
          {"id": 0, "content": "<s>", "special": true, "normalized": false, "lstrip": false, "rstrip": false, "single_word": false},
          {"id": 2, "content": "</s>", "special": true, "normalized": false, "lstrip": false, "rstrip": false, "single_word": false}],
         "normalizer": \#(normalizer),
         "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "\#(prependScheme)", "split": true},
         "post_processor": {"type": "TemplateProcessing",
          "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}]},
         "model": {"type": "Unigram", "unk_id": \#(unknownID), "byte_fallback": \#(byteFallback), "vocab": \#(vocabulary)}}
        """#
    }
}
