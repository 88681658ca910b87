import Foundation
import XCTest
@testable import SpecTagModels

/// Reference outputs written by training/make_reference.py (real model) and
/// tools/reference/make_tiny_tagger.py (tiny random model), both with the recipe's PyTorch code.
struct TaggerReference: Decodable {
    struct Sentence: Decodable {
        let words: [String]
        let word_shapes: [String]
        let subword_ids: [[Int]]
        let first_subword_states: [[Float]]
        let greedy_tags: [String]
        let greedy_tag_probabilities: [[Float]]
        let sentiment: String
        let sentiment_probabilities: [Float]
        let draft_tags: [String]
        let draft_sentiment: String
    }
    /// The model's `name` from spectag.json, absent in the tiny model's fixture.
    let model: String?
    let sentences: [Sentence]
}

/// Checks a model's greedy decoding and drafting head against a PyTorch reference.
func assertMatchesReference(_ model: TargetModel, _ reference: TaggerReference, file: StaticString = #filePath, line: UInt = #line) throws {
    let encoded = try model.encode(reference.sentences.map(\.words))
    var states = encoded.map(model.decoder.makeState(for:))
    let (decoded, _) = model.decoder.greedyDecode(&states)
    for (index, expected) in reference.sentences.enumerated() {
        let label = "sentence \(index) (\(expected.words.prefix(4).joined(separator: " ")))"
        let chunks = try model.tokenizer.encodeInChunks(words: expected.words, maxLength: model.configuration.maximumSubwords)
        XCTAssertEqual(chunks.map(\.ids), expected.subword_ids, "\(label): subword ids", file: file, line: line)
        assertClose(Array(encoded[index].clsState.prefix(expected.first_subword_states[0].count)), expected.first_subword_states[0], tolerance: 1e-3, "\(label): [CLS] state", file: file, line: line)
        XCTAssertEqual(decoded[index].tags.map { model.tags[$0] }, expected.greedy_tags, "\(label): greedy tags", file: file, line: line)
        for (word, probabilities) in expected.greedy_tag_probabilities.enumerated() where word < decoded[index].tagProbabilities.count {
            assertClose(decoded[index].tagProbabilities[word], probabilities, tolerance: 1e-3, "\(label): word \(word) probabilities", file: file, line: line)
        }
        XCTAssertEqual(model.sentimentLabels[decoded[index].sentiment], expected.sentiment, "\(label): sentiment", file: file, line: line)
        assertClose(decoded[index].sentimentProbabilities, expected.sentiment_probabilities, tolerance: 1e-3, "\(label): sentiment probabilities", file: file, line: line)
        if let head = model.draftingHead {
            let (tagLogits, sentimentLogits) = head.logits(for: encoded[index])
            let draftTags = (0 ..< tagLogits.rows).map { model.tags[argmax(tagLogits.row($0))] }
            XCTAssertEqual(draftTags, expected.draft_tags, "\(label): drafting head tags", file: file, line: line)
            XCTAssertEqual(model.sentimentLabels[argmax(sentimentLogits)], expected.draft_sentiment, "\(label): drafting head sentiment", file: file, line: line)
        }
    }
}

final class TargetModelTests: XCTestCase {
    func testTinyTaggerMatchesPyTorchGreedyDecoding() throws {
        let model = try TargetModel(folder: URL(fileURLWithPath: try Fixtures.path("tiny-tagger")))
        XCTAssertEqual(model.tags.count, 9)
        try assertMatchesReference(model, try Fixtures.json("tiny-tagger-reference.json", as: TaggerReference.self))
    }

    func testGreedyDecodingIsTheSameAloneAndBatched() throws {
        let model = try TargetModel(folder: URL(fileURLWithPath: try Fixtures.path("tiny-tagger")))
        let sentences = try Fixtures.json("tiny-tagger-reference.json", as: TaggerReference.self).sentences.map(\.words)
        var batchStates = try model.encode(sentences).map(model.decoder.makeState(for:))
        let batched = model.decoder.greedyDecode(&batchStates).sentences
        for (index, words) in sentences.enumerated() {
            var single = try model.encode([words]).map(model.decoder.makeState(for:))
            XCTAssertEqual(model.decoder.greedyDecode(&single).sentences[0].tags, batched[index].tags, "sentence \(index)")
        }
    }

    func testEmptySentenceDecodesOnlySentiment() throws {
        let model = try TargetModel(folder: URL(fileURLWithPath: try Fixtures.path("tiny-tagger")))
        var states = try model.encode([[]]).map(model.decoder.makeState(for:))
        XCTAssertEqual(states[0].positionCount, 1)
        let (sentences, passes) = model.decoder.greedyDecode(&states)
        XCTAssertEqual(sentences[0].tags, [])
        XCTAssertEqual(sentences[0].sentimentProbabilities.count, 3)
        XCTAssertEqual(passes, 1)
    }

    func testMissingVocabularyNamesTheFile() throws {
        let source = URL(fileURLWithPath: try Fixtures.path("tiny-tagger"))
        let copy = try Fixtures.temporaryDirectory(self).appendingPathComponent("model")
        try FileManager.default.copyItem(at: source, to: copy)
        try FileManager.default.removeItem(at: copy.appendingPathComponent("vocab.txt"))
        XCTAssertThrowsError(try TargetModel(folder: copy)) { error in
            XCTAssertEqual(String(describing: error), "\(copy.appendingPathComponent("vocab.txt").path): not found; a WordPiece model folder needs its vocab.txt")
        }
    }

    func testMissingModelFolderIsReported() {
        XCTAssertThrowsError(try TargetModel(folder: URL(fileURLWithPath: "/nonexistent/model"))) { error in
            XCTAssertEqual(String(describing: error), "/nonexistent/model: model folder not found")
        }
    }
}
