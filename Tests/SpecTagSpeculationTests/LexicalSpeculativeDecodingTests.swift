import Foundation
import SpecTagModels
import XCTest
@testable import SpecTagSpeculation

/// The lexical drafter against the tiny random tagger fixture: exact greedy output and
/// distillation.
final class LexicalSpeculativeDecodingTests: XCTestCase {
    /// Sentences that stress the loop: one word, 200 words, only punctuation, and others.
    private let hardCases: [[String]] = [
        ["Markets"],
        (0 ..< 200).map { ["Apple", "shares", "rose", "in", "New", "York", ",", "said", "Jerome", "Powell", "."][$0 % 11] },
        ["?", "!", "...", "--", "(", ")", ",", "."],
        LexicalTestData.words("Goldman Sachs cut its rating on Deutsche Bank AG ."),
        LexicalTestData.words("Deutsche Bank shares fell in Frankfurt ."),
        [],
    ]

    private func drafting(_ model: TargetModel, _ sentences: [[String]]) throws -> [DraftingSentence] {
        try zip(sentences, model.encode(sentences)).map { DraftingSentence(words: $0, encoded: $1) }
    }

    private func assertSameTags(_ actual: [TaggedSentence], _ expected: [TaggedSentence], _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
        for (index, (got, want)) in zip(actual, expected).enumerated() {
            XCTAssertEqual(got.tags, want.tags, "\(label): tags of sentence \(index)", file: file, line: line)
            XCTAssertEqual(got.sentiment, want.sentiment, "\(label): sentiment of sentence \(index)", file: file, line: line)
        }
    }

    private func distilledDrafter(_ model: TargetModel) throws -> LexicalDrafter {
        let labeler = GreedyTargetLabeler(model: model)
        let trainer = LexicalDrafterTrainer(configuration: .init(epochs: 8, seed: 5))
        let sentences = randomTinyTaggerSentences(count: 400, maximumLength: 12, seed: 21)
        return try trainer.distill(sentences: sentences, labeler: labeler.labels(for:), heldOutEvery: 0)
    }

    private func acceptanceRate(_ drafter: LexicalDrafter, _ model: TargetModel, _ sentences: [DraftingSentence]) -> Double {
        SpeculativeDecoder(decoder: model.decoder, drafter: drafter, maximumDraft: 4).decode(sentences).total.acceptanceRate
    }

    // MARK: Exactness

    func testLexicalDrafterReproducesGreedyOutput() throws {
        let model = try TargetModel(folder: tinyTaggerFolder)
        let sentences = try drafting(model, hardCases)
        let reference = SpeculativeDecoder(decoder: model.decoder, drafter: nil, maximumDraft: 0).decode(sentences).sentences
        let drafters = [("gold", try LexicalTestData.trainedDrafter()), ("distilled", try distilledDrafter(model))]
        for (label, drafter) in drafters {
            for maximumDraft in [1, 3, 8] {
                let decoder = SpeculativeDecoder(decoder: model.decoder, drafter: drafter, maximumDraft: maximumDraft)
                let result = decoder.decode(sentences)
                let statistics = result.total
                assertSameTags(result.sentences, reference, "\(label) drafter, k=\(maximumDraft)")
                XCTAssertEqual(statistics.positions, hardCases.reduce(0) { $0 + $1.count + 1 })
                XCTAssertGreaterThan(statistics.draftTokens, 0, "\(label) drafter, k=\(maximumDraft) drafted")
            }
        }
    }

    // MARK: Distillation

    func testDistillationRaisesAcceptanceAgainstTarget() throws {
        let model = try TargetModel(folder: tinyTaggerFolder)
        let evaluation = try drafting(model, randomTinyTaggerSentences(count: 80, maximumLength: 12, seed: 99))
        let before = acceptanceRate(try LexicalTestData.trainedDrafter(), model, evaluation)
        let after = acceptanceRate(try distilledDrafter(model), model, evaluation)
        XCTAssertGreaterThan(after, before + 0.15, "acceptance before \(before), after \(after)")
    }

    func testDistillationRejectsMismatchedTargetOutput() {
        let trainer = LexicalDrafterTrainer(configuration: .init(epochs: 1))
        let sentences = [["Apple", "rose"], ["Sony", "fell", "."]]
        XCTAssertThrowsError(try trainer.distill(sentences: sentences, labeler: { batch in batch.map { (Array(repeating: 0, count: $0.count + 1), 1) } })) { error in
            XCTAssertTrue("\(error)".contains("3 tags for a sentence of 2 words"), "\(error)")
        }
        XCTAssertThrowsError(try trainer.distill(sentences: sentences, labeler: { batch in batch.map { (Array(repeating: 12, count: $0.count), 1) } })) { error in
            XCTAssertTrue("\(error)".contains("tag id 12"), "\(error)")
        }
        XCTAssertThrowsError(try trainer.distill(sentences: sentences, labeler: { _ in [] })) { error in
            XCTAssertTrue("\(error)".contains("0 results for a batch of 2"), "\(error)")
        }
    }

    func testDistillationHoldsOutTargetLabelledSentences() throws {
        let model = try TargetModel(folder: tinyTaggerFolder)
        let labeler = GreedyTargetLabeler(model: model)
        var labelledCounts: [Int] = []
        var heldOutReported = false
        let trainer = LexicalDrafterTrainer(configuration: .init(epochs: 2))
        _ = try trainer.distill(
            sentences: randomTinyTaggerSentences(count: 50, maximumLength: 6, seed: 8), labeler: labeler.labels(for:),
            batchSize: 16, heldOutEvery: 10
        ) { event in
            switch event {
            case let .labelled(done, total):
                XCTAssertEqual(total, 50)
                labelledCounts.append(done)
            case let .epoch(report):
                heldOutReported = heldOutReported || report.heldOutAccuracy != nil
            }
        }
        XCTAssertEqual(labelledCounts, [16, 32, 48, 50])
        XCTAssertTrue(heldOutReported, "the held-out target labels are scored")
    }
}
