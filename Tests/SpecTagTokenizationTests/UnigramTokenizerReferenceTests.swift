import Foundation
import XCTest

@testable import SpecTagTokenization

/// Compares `UnigramTokenizer` with `tokenizers` output recorded in the fixtures.
final class UnigramTokenizerReferenceTests: XCTestCase {
    func testTrainedUnigramMatchesTokenizersLibrary() throws {
        let tokenizer = try UnigramTokenizer(tokenizerJSON: try Fixtures.url("unigram_tokenizer.json"))
        let reference = try Fixtures.reference("unigram_expected.json")
        try assertMatchesReference(tokenizer, reference, label: "unigram")
    }
}
