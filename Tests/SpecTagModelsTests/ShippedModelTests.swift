import Foundation
import XCTest
@testable import SpecTagModels

/// The shipped models against the PyTorch recipe's outputs (training/make_reference.py): the
/// default spectag-e5-small and the faster spectag-minilm-l6.
final class ShippedModelTests: XCTestCase {
    private static let defaultModel = "spectag-e5-small"
    private static let miniLMModel = "spectag-minilm-l6"

    func testDefaultModelMatchesReference() throws {
        try assertMatchesPyTorchReference(model: Self.defaultModel)
    }

    func testDefaultModelMatchesDevTags() throws {
        try assertGreedyTagsMatchPyTorchOnDevSet(model: Self.defaultModel)
    }

    func testMiniLMMatchesReference() throws {
        try assertMatchesPyTorchReference(model: Self.miniLMModel)
    }

    func testMiniLMMatchesDevTags() throws {
        try assertGreedyTagsMatchPyTorchOnDevSet(model: Self.miniLMModel)
    }

    // MARK: Checks

    private func loadModel(_ name: String) throws -> TargetModel {
        try TargetModel(folder: Fixtures.packageRoot.appendingPathComponent("models/\(name)"))
    }

    /// Checks the hand-written reference sentences: ids, encoder states, tags and probabilities.
    private func assertMatchesPyTorchReference(model name: String) throws {
        let model = try loadModel(name)
        let reference = try Fixtures.json("tagger-reference-\(name).json", as: TaggerReference.self)
        XCTAssertEqual(reference.model, name, "the fixture belongs to another model")
        try assertMatchesReference(model, reference)
    }

    /// Checks that the Swift greedy tags of every CoNLL-2003 dev sentence equal PyTorch's.
    private func assertGreedyTagsMatchPyTorchOnDevSet(model name: String) throws {
        let dev = Fixtures.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/conll2003/eng.testa")
        guard let text = try? String(contentsOf: dev, encoding: .utf8) else {
            throw XCTSkip("CoNLL-2003 dev data not found at \(dev.path); it is not part of the repository")
        }
        let expected = try String(contentsOfFile: try Fixtures.path("conll-dev-greedy-tags-\(name).txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0.split(separator: " ").map(String.init) }
        let sentences = Self.conllSentences(text)
        XCTAssertEqual(sentences.count, expected.count, "dev sentences vs reference lines")

        let model = try loadModel(name)
        var mismatches: [Int] = []
        for start in stride(from: 0, to: sentences.count, by: 64) {
            let batch = Array(sentences[start ..< min(start + 64, sentences.count)])
            var states = try model.encode(batch).map(model.decoder.makeState(for:))
            let decoded = model.decoder.greedyDecode(&states).sentences
            for (offset, sentence) in decoded.enumerated() where sentence.tags.map({ model.tags[$0] }) != expected[start + offset] {
                mismatches.append(start + offset)
            }
        }
        XCTAssertEqual(mismatches, [], "dev sentences whose Swift greedy tags differ from PyTorch's")
    }

    /// Words of each sentence of a CoNLL file, `-DOCSTART-` lines skipped.
    static func conllSentences(_ text: String) -> [[String]] {
        var sentences: [[String]] = []
        var current: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if columns.isEmpty || columns[0] == "-DOCSTART-" {
                if !current.isEmpty { sentences.append(current) }
                current = []
            } else {
                current.append(String(columns[0]))
            }
        }
        if !current.isEmpty { sentences.append(current) }
        return sentences
    }
}
