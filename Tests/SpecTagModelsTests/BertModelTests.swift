import Foundation
import XCTest
@testable import SpecTagModels

/// Reference vectors written by tools/reference/make_encoder_vectors.py with `transformers`.
struct EncoderReference: Decodable {
    struct Case: Decodable {
        let text: String
        let ids: [Int]
        let offsets: [[Int]]
        let word_ids: [Int?]
        let hidden_rows: [Int]
        let hidden: [[Float]]
        let hidden_sum: Double
    }
    let max_length: Int
    let cases: [Case]
}

final class BertModelTests: XCTestCase {
    private func loadTinyModel() throws -> BertModel {
        let folder = try Fixtures.path("tiny-bert")
        let configuration = try BertConfiguration(contentsOf: folder + "/config.json")
        let file = try SafeTensorsFile(path: folder + "/model.safetensors")
        return try BertModel(configuration: configuration, tensors: TensorStore(file: file))
    }

    func testTinyBertMatchesTransformersOneSentenceAtATime() throws {
        let model = try loadTinyModel()
        let reference = try Fixtures.json("tiny-bert-reference.json", as: EncoderReference.self)
        for testCase in reference.cases {
            let output = try model.encode(EncoderBatch(tokenIDs: [testCase.ids]))
            let states = output.states(ofSequence: 0)
            for (row, expected) in zip(testCase.hidden_rows, testCase.hidden) {
                assertClose(states.row(row), expected, tolerance: 1e-4, "\(testCase.text.prefix(30)) token \(row)")
            }
            let sum = states.values.reduce(0.0) { $0 + Double($1) }
            XCTAssertEqual(sum, testCase.hidden_sum, accuracy: 1e-4 * Double(states.values.count), "sum of states for \(testCase.text.prefix(30))")
        }
    }

    func testTinyBertBatchEqualsSingleSentences() throws {
        let model = try loadTinyModel()
        let reference = try Fixtures.json("tiny-bert-reference.json", as: EncoderReference.self)
        let batch = try model.encode(EncoderBatch(tokenIDs: reference.cases.map(\.ids)))
        for (index, testCase) in reference.cases.enumerated() {
            let states = batch.states(ofSequence: index)
            XCTAssertEqual(states.rows, testCase.ids.count)
            for (row, expected) in zip(testCase.hidden_rows, testCase.hidden) {
                assertClose(states.row(row), expected, tolerance: 1e-4, "batched \(testCase.text.prefix(30)) token \(row)")
            }
        }
    }

    func testAttentionMaskEqualsDroppingPaddedTokens() throws {
        let model = try loadTinyModel()
        let ids = try Fixtures.json("tiny-bert-reference.json", as: EncoderReference.self).cases[0].ids
        let padded = ids + [0, 0, 0]
        let mask = [Int](repeating: 1, count: ids.count) + [0, 0, 0]
        let masked = try model.encode(EncoderBatch(tokenIDs: [padded], attentionMasks: [mask])).states(ofSequence: 0)
        let plain = try model.encode(EncoderBatch(tokenIDs: [ids])).states(ofSequence: 0)
        for row in 0 ..< ids.count {
            assertClose(masked.row(row), plain.row(row), tolerance: 1e-5, "row \(row)")
        }
    }

    func testEncodeRejectsOutOfRangeTokenID() throws {
        let model = try loadTinyModel()
        XCTAssertThrowsError(try model.encode(EncoderBatch(tokenIDs: [[2, 100_000, 3]]))) { error in
            XCTAssertEqual(error as? EncoderInputError, .tokenIDOutOfRange(sequence: 0, position: 1, id: 100_000, vocabularySize: model.configuration.vocabularySize))
        }
    }

    func testEncodeRejectsSequenceLongerThanPositions() throws {
        let model = try loadTinyModel()
        let ids = [Int](repeating: 5, count: model.configuration.maximumPositions + 1)
        XCTAssertThrowsError(try model.encode(EncoderBatch(tokenIDs: [ids]))) { error in
            XCTAssertEqual(error as? EncoderInputError, .sequenceTooLong(sequence: 0, length: ids.count, maximum: model.configuration.maximumPositions))
        }
    }

    func testEncodeAcceptsEmptyBatch() throws {
        let output = try loadTinyModel().encode(EncoderBatch(tokenIDs: []))
        XCTAssertEqual(output.hiddenStates.rows, 0)
    }
}
