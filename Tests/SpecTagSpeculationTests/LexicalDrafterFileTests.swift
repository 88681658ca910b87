import Foundation
import XCTest
@testable import SpecTagSpeculation

final class LexicalDrafterFileTests: XCTestCase {
    private var temporaryFolder: URL!

    override func setUpWithError() throws {
        temporaryFolder = FileManager.default.temporaryDirectory.appendingPathComponent("lexical-drafter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporaryFolder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: temporaryFolder)
    }

    private func assertLoadFails(_ data: Data, containing expected: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = temporaryFolder.appendingPathComponent("broken.bin")
        XCTAssertNoThrow(try data.write(to: url), file: file, line: line)
        XCTAssertThrowsError(try LexicalDrafter(contentsOf: url), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(error is LexicalDrafterFileError, "\(type(of: error)): \(message)", file: file, line: line)
            XCTAssertTrue(message.hasPrefix(url.path), "the message names the file: \(message)", file: file, line: line)
            XCTAssertTrue(message.contains(expected), "expected '\(expected)' in: \(message)", file: file, line: line)
        }
    }

    // MARK: Round trip

    func testSaveLoadRoundTripGivesIdenticalDrafts() throws {
        let drafter = try LexicalTestData.trainedDrafter()
        let url = temporaryFolder.appendingPathComponent("drafter.bin")
        try drafter.write(to: url)
        let loaded = try LexicalDrafter(contentsOf: url)

        XCTAssertEqual(loaded.tags, drafter.tags)
        XCTAssertEqual(loaded.sentimentLabels, drafter.sentimentLabels)
        XCTAssertEqual(loaded.metadata, drafter.metadata)
        XCTAssertEqual(loaded.serialized(), drafter.serialized(), "writing the loaded drafter gives the same bytes")
        let sentences = LexicalTestData.ner.map(\.words) + randomTinyTaggerSentences(count: 30, maximumLength: 20, seed: 11)
        for words in sentences {
            var original = drafter.makeSession(words: words)
            var reloaded = loaded.makeSession(words: words)
            for accepted in 0 ... words.count {
                let prefix = Array(original.draft(acceptedTags: [], count: accepted))
                XCTAssertEqual(reloaded.draft(acceptedTags: prefix, count: 5), original.draft(acceptedTags: prefix, count: 5), "\(words) after \(accepted)")
            }
        }
    }

    func testFileHasMagicAndJSONHeader() throws {
        let bytes = [UInt8](try LexicalTestData.trainedDrafter(epochs: 1).serialized())
        XCTAssertEqual(Array(bytes.prefix(8)), Array("SPTGLEX\n".utf8))
        let length = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        let header = try JSONSerialization.jsonObject(with: Data(bytes[12 ..< 12 + length])) as? [String: Any]
        XCTAssertEqual(header?["format_version"] as? Int, 1)
        XCTAssertEqual(header?["tags"] as? [String], LexicalDrafter.defaultTags)
        XCTAssertEqual(header?["entity_types"] as? [String], ["PER", "ORG", "LOC", "MISC"])
    }

    // MARK: Bad files

    func testCorruptFileReportsChecksumMismatch() throws {
        var bytes = [UInt8](try LexicalTestData.trainedDrafter(epochs: 1).serialized())
        bytes[bytes.count / 2] ^= 0x40
        assertLoadFails(Data(bytes), containing: "checksum mismatch")
    }

    func testTruncatedFileReportsProblem() throws {
        let bytes = [UInt8](try LexicalTestData.trainedDrafter(epochs: 1).serialized())
        assertLoadFails(Data(bytes.prefix(bytes.count - 100)), containing: "checksum mismatch")
        assertLoadFails(Data(bytes.prefix(30)), containing: "truncated")
        assertLoadFails(Data(bytes.prefix(10)), containing: "too short")
    }

    func testWrongVersionIsRejected() throws {
        var bytes = [UInt8](try LexicalTestData.trainedDrafter(epochs: 1).serialized())
        let marker = Array("\"format_version\":1".utf8)
        let start = try XCTUnwrap((0 ..< bytes.count - marker.count).first { Array(bytes[$0 ..< $0 + marker.count]) == marker })
        bytes[start + marker.count - 1] = UInt8(ascii: "2")
        assertLoadFails(Data(bytes), containing: "format version 2; this spectag reads version 1")
    }

    func testOtherFileIsRejected() {
        assertLoadFails(Data("O\tB-PER\nthis is a text file, not a drafter\n".utf8), containing: "is not a lexical drafter file")
    }

    func testMissingFileNamesPath() {
        let url = temporaryFolder.appendingPathComponent("absent.bin")
        XCTAssertThrowsError(try LexicalDrafter(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".hasPrefix(url.path), "\(error)")
            XCTAssertTrue("\(error)".contains("cannot read the file"), "\(error)")
        }
    }

    func testValidChecksumWithBadSectionIsRejected() throws {
        // Rewrite the tag transitions of a valid file with a value of 2 and a correct checksum:
        // the reader must still reject the section.
        let drafter = try LexicalTestData.trainedDrafter(epochs: 1)
        var writer = LexicalByteWriter()
        let valid = [UInt8](drafter.serialized())
        let headerLength = Int(valid[8]) | Int(valid[9]) << 8 | Int(valid[10]) << 16 | Int(valid[11]) << 24
        var bodyWriter = LexicalByteWriter()
        drafter.tagger.write(to: &bodyWriter)
        let transitionsOffset = 12 + headerLength + bodyWriter.bytes.count
        var bytes = Array(valid.dropLast(8))
        bytes[transitionsOffset] = 2
        writer.append(contentsOf: bytes)
        writer.append(lexicalChecksum(bytes[...]))
        assertLoadFails(Data(writer.bytes), containing: "tag transition flag other than 0 or 1")
    }
}
