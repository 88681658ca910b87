import Foundation
import XCTest
@testable import SpecTagModels

/// Which tokenizer an encoder folder is loaded with when the caller does not name one.
final class EncoderCheckpointTests: XCTestCase {
    func testSpecTagFolderUsesItsTokenizerSetting() {
        let folder = Fixtures.packageRoot.appendingPathComponent("models/spectag-e5-small")
        XCTAssertEqual(EncoderCheckpoint.tokenizerKind(in: folder), "unigram")
    }

    func testVocabularyFileMeansWordPiece() throws {
        let folder = URL(fileURLWithPath: try Fixtures.path("tiny-bert"))
        XCTAssertEqual(EncoderCheckpoint.tokenizerKind(in: folder), "wordpiece")
    }

    func testTokenizerFileAloneMeansUnigram() throws {
        let folder = try Fixtures.temporaryDirectory(self)
        FileManager.default.createFile(atPath: folder.appendingPathComponent("tokenizer.json").path, contents: Data("{}".utf8))
        XCTAssertEqual(EncoderCheckpoint.tokenizerKind(in: folder), "unigram")
    }

    func testDefaultModelEncoderLoadsWithoutKind() throws {
        let folder = Fixtures.packageRoot.appendingPathComponent("models/spectag-e5-small")
        let checkpoint = try EncoderCheckpoint(folder: folder)
        let encoding = try checkpoint.tokenizer.encode("Nokia shares fell.", maxLength: 32)
        XCTAssertGreaterThan(encoding.ids.count, 2, "expected [CLS], some pieces and [SEP]")
        XCTAssertEqual(checkpoint.configuration.layerCount, 12)
    }
}
