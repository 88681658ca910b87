import Foundation
import SpecTagEvaluation
import XCTest
@testable import SpecTagSpeculation

/// Trains on part of CoNLL-2003 from the shared data folder; skips when the data is absent.
final class LexicalDrafterCoNLLTests: XCTestCase {
    private func sharedDataFile(_ relativePath: String) throws -> URL {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // SpecTagSpeculationTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
        let url = packageRoot.appendingPathComponent("../shared/data").appendingPathComponent(relativePath).standardized
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("data set file \(url.path) is absent; place the shared data next to the package to run this test")
        }
        return url
    }

    private func sentences(_ relativePath: String, limit: Int) throws -> [LexicalDrafterTrainer.NERSentence] {
        let document = try CoNLLReader.read(contentsOf: sharedDataFile(relativePath))
        return document.sentences.prefix(limit).map { ($0.words, $0.goldTags) }
    }

    func testTaggerTrainedOnCoNLLSubsetTagsDevWell() throws {
        let train = try sentences("conll2003/eng.train", limit: 3000)
        let dev = try sentences("conll2003/eng.testa", limit: 500)
        let trainer = LexicalDrafterTrainer(configuration: .init(epochs: 3))
        let drafter = try trainer.train(ner: train, sentiment: LexicalTestData.sentiment)
        let accuracy = try drafter.tagAccuracy(on: dev)

        XCTAssertGreaterThan(accuracy.wordCount, 5000)
        // Always tagging O scores 0.774 on these 5,700 words.
        XCTAssertGreaterThan(accuracy.nextTag, 0.95, "next-tag accuracy")
        XCTAssertGreaterThan(accuracy.greedy, 0.94, "greedy tag accuracy")
    }
}
