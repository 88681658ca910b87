import Foundation
import XCTest
import SpecTagModels
@testable import SpecTagSpeculation

/// Drafters that exercise the verification loop from every side.
struct OracleDrafter: Drafter {
    let name = "oracle"
    /// The greedy output of each sentence, by its first word count and words.
    let answers: [[String]: [Int]]
    /// Adds this to every proposal (modulo `classCount`), so 0 is always right and 1 always wrong.
    let shift: Int
    let classCount: Int

    func makeSession(for sentence: DraftingSentence) -> any DraftSession {
        let answer = answers[sentence.words] ?? []
        return FixedDraftSession(classes: answer.map { ($0 + shift) % classCount })
    }
}

struct RandomDrafter: Drafter {
    let name = "random"
    let seed: UInt64

    func makeSession(for sentence: DraftingSentence) -> any DraftSession {
        var generator = SplitMix(state: seed &+ UInt64(sentence.words.count))
        return FixedDraftSession(classes: (0 ... sentence.words.count).map { _ in Int(generator.next() % 9) })
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class SpeculativeDecoderTests: XCTestCase {
    static let modelFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SpecTagModelsTests/Fixtures/tiny-tagger")

    private func loadModel() throws -> TargetModel {
        try TargetModel(folder: Self.modelFolder)
    }

    /// Sentences that stress the loop: one word, 200 words, only punctuation, mixed lengths.
    private var hardCases: [[String]] {
        let long = (0 ..< 200).map { ["Apple", "shares", "rose", "in", "New", "York", ",", "said", "Tim", "Cook", "."][$0 % 11] }
        return [
            ["Markets"],
            long,
            ["?", "!", "...", "--", "(", ")", ",", "."],
            "Goldman Sachs cut its rating on Deutsche Bank AG .".split(separator: " ").map(String.init),
            [],
            ["U.S.", "stocks", "fell"],
        ]
    }

    private func drafting(_ model: TargetModel, _ sentences: [[String]]) throws -> [DraftingSentence] {
        try zip(sentences, model.encode(sentences)).map { DraftingSentence(words: $0, encoded: $1) }
    }

    private func greedy(_ model: TargetModel, _ sentences: [DraftingSentence]) -> [TaggedSentence] {
        SpeculativeDecoder(decoder: model.decoder, drafter: nil, maximumDraft: 0).decode(sentences).sentences
    }

    private func assertSameOutput(_ actual: [TaggedSentence], _ expected: [TaggedSentence], _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
        for (index, (got, want)) in zip(actual, expected).enumerated() {
            XCTAssertEqual(got.tags, want.tags, "\(label): tags of sentence \(index)", file: file, line: line)
            XCTAssertEqual(got.sentiment, want.sentiment, "\(label): sentiment of sentence \(index)", file: file, line: line)
            for (position, probabilities) in got.tagProbabilities.enumerated() {
                for (a, b) in zip(probabilities, want.tagProbabilities[position]) where abs(a - b) > 1e-5 {
                    XCTFail("\(label): probability differs at sentence \(index) word \(position): \(a) vs \(b)", file: file, line: line)
                }
            }
        }
    }

    func testGreedyDecoderMatchesTargetGreedyDecode() throws {
        let model = try loadModel()
        let sentences = try drafting(model, hardCases)
        var states = sentences.map { model.decoder.makeState(for: $0.encoded) }
        let reference = model.decoder.greedyDecode(&states)
        let output = SpeculativeDecoder(decoder: model.decoder, drafter: nil, maximumDraft: 8).decode(sentences)
        let (result, statistics) = (output.sentences, output.total)
        assertSameOutput(result, reference.sentences, "greedy")
        XCTAssertEqual(statistics.draftTokens, 0)
        XCTAssertEqual(statistics.targetPasses, reference.passes)
        XCTAssertEqual(statistics.sentencePasses, statistics.positions, "greedy takes one pass per position")
    }

    func testEveryDrafterAndDraftLengthReproducesGreedy() throws {
        let model = try loadModel()
        let sentences = try drafting(model, hardCases)
        let reference = greedy(model, sentences)
        let answers = Dictionary(uniqueKeysWithValues: zip(hardCases, reference.map { $0.tags + [$0.sentiment] }))
        var drafters: [any Drafter] = [
            OracleDrafter(answers: answers, shift: 0, classCount: 9),
            OracleDrafter(answers: answers, shift: 1, classCount: 3),
            RandomDrafter(seed: 7),
        ]
        drafters.append(try XCTUnwrap(HeadDrafter(model: model)))
        for drafter in drafters {
            for maximumDraft in [1, 2, 3, 5, 8, 64] {
                let decoder = SpeculativeDecoder(decoder: model.decoder, drafter: drafter, maximumDraft: maximumDraft)
                assertSameOutput(decoder.decode(sentences).sentences, reference, "\(drafter.name) shift k=\(maximumDraft)")
            }
        }
    }

    func testPerfectDrafterNeedsFewPasses() throws {
        let model = try loadModel()
        let sentences = try drafting(model, hardCases)
        let reference = greedy(model, sentences)
        let answers = Dictionary(uniqueKeysWithValues: zip(hardCases, reference.map { $0.tags + [$0.sentiment] }))
        let decoder = SpeculativeDecoder(decoder: model.decoder, drafter: OracleDrafter(answers: answers, shift: 0, classCount: 9), maximumDraft: 8)
        let statistics = decoder.decode(sentences).total
        XCTAssertEqual(statistics.acceptanceRate, 1, "every proposal of a perfect drafter is accepted")
        // 201 positions of the long sentence with 8 drafts plus a bonus per pass take 23 passes.
        XCTAssertEqual(statistics.targetPasses, 23)
        XCTAssertEqual(statistics.draftedAt.first, statistics.sentencePasses)
    }

    func testPerSentenceCountersAddUpToTotal() throws {
        let model = try loadModel()
        let sentences = try drafting(model, hardCases)
        let output = SpeculativeDecoder(decoder: model.decoder, drafter: RandomDrafter(seed: 3), maximumDraft: 4).decode(sentences)
        XCTAssertEqual(output.perSentence.map(\.positions), hardCases.map { $0.count + 1 })
        XCTAssertEqual(output.perSentence.reduce(0) { $0 + $1.acceptedTokens }, output.total.acceptedTokens)
        XCTAssertEqual(output.perSentence.reduce(0) { $0 + $1.sentencePasses }, output.total.sentencePasses)
        XCTAssertEqual(output.perSentence.map(\.targetPasses).max(), output.total.targetPasses, "the longest sentence takes part in every pass")
    }

    func testAlwaysWrongDrafterTakesOnePassPerPosition() throws {
        let model = try loadModel()
        let sentences = try drafting(model, hardCases)
        let reference = greedy(model, sentences)
        // Shift by 1 modulo 3 keeps sentiment proposals in range but always wrong; for tags the
        // shifted class is always another tag.
        let answers = Dictionary(uniqueKeysWithValues: zip(hardCases, reference.map { $0.tags.map { ($0 + 1) % 9 } + [($0.sentiment + 1) % 3] }))
        let decoder = SpeculativeDecoder(decoder: model.decoder, drafter: OracleDrafter(answers: answers, shift: 0, classCount: 9), maximumDraft: 4)
        let output = decoder.decode(sentences)
        let (result, statistics) = (output.sentences, output.total)
        assertSameOutput(result, reference, "always wrong")
        XCTAssertEqual(statistics.acceptedTokens, 0)
        XCTAssertEqual(statistics.sentencePasses, statistics.positions)
        XCTAssertEqual(statistics.meanAcceptanceLength, 1)
    }

    func testStatisticsCountDraftedAndAcceptedPerPosition() {
        var statistics = DecodingStatistics()
        statistics.recordPass(drafted: 3, accepted: 1)
        statistics.recordPass(drafted: 2, accepted: 2)
        statistics.positions = 5
        XCTAssertEqual(statistics.draftedAt, [2, 2, 1])
        XCTAssertEqual(statistics.acceptedAt, [2, 1, 0])
        XCTAssertEqual(statistics.acceptanceRate, 0.6, accuracy: 1e-12)
        XCTAssertEqual(statistics.meanAcceptedPerPass, 1.5, accuracy: 1e-12)
        XCTAssertEqual(statistics.meanAcceptanceLength, 2.5, accuracy: 1e-12)
    }
}
