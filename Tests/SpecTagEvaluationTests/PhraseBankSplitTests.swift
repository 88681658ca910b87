import Foundation
import SpecTagEvaluation
import XCTest

final class PhraseBankSplitTests: XCTestCase {
    /// Hashes and splits computed once in Python 3.11 with this loop over
    /// `sentence.encode("utf-8")`: `h ^= byte; h = (h * 0x100000001b3) % 2**64`, starting
    /// from 0xcbf29ce484222325. "a" and "foobar" are also published FNV-1a test vectors.
    private let cases: [(sentence: String, hash: UInt64, split: DatasetSplit)] = [
        ("", 0xcbf2_9ce4_8422_2325, .train),
        ("a", 0xaf63_dc4c_8601_ec8c, .train),
        ("foobar", 0x8594_4171_f739_67e8, .train),
        ("Operating profit rose to EUR 13.1 mn .", 0x1d70_4cb0_7104_a96c, .train),
        ("Net sales fell 5 % in the caf\u{E9} segment .", 0xbd74_b862_270d_74d6, .train),
        ("Sales rose 0 % .", 0xed56_814b_08bc_39c3, .dev),
        ("Sales rose 9 % .", 0x2446_15b2_9e8f_0f18, .dev),
        ("Sales rose 36 % .", 0x6e25_2c69_d6c3_fda2, .dev),
    ]

    func testFNV1aMatchesPythonValues() {
        for (sentence, hash, _) in cases {
            XCTAssertEqual(PhraseBankSplit.fnv1a64(sentence.utf8), hash, "hash of '\(sentence)'")
        }
    }

    func testFNV1aMatchesIndependentImplementation() {
        // A second implementation written from the FNV-1a definition, on wider integers.
        func referenceHash(_ bytes: [UInt8]) -> UInt64 {
            var hash: UInt64 = 14_695_981_039_346_656_037
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash.multipliedFullWidth(by: 1_099_511_628_211).low
            }
            return hash
        }
        for sentence in ["Sales rose 2 % .", "Caf\u{E9} \u{1F4C8} ASCII and more", String(repeating: "x", count: 1000)] {
            XCTAssertEqual(PhraseBankSplit.fnv1a64(sentence.utf8), referenceHash(Array(sentence.utf8)), sentence)
        }
    }

    func testSplitUsesHashModuloFive() {
        for (sentence, hash, split) in cases {
            XCTAssertEqual(hash % 5 == 0, split == .dev, "table entry for '\(sentence)'")
            XCTAssertEqual(PhraseBankSplit.split(ofSentence: sentence), split, "split of '\(sentence)'")
        }
    }

    func testSplitStripsWhitespaceBeforeHashing() {
        XCTAssertEqual(PhraseBankSplit.split(ofSentence: " \tSales rose 0 % .\u{A0}\r\n"), .dev)
        XCTAssertEqual(stripPythonWhitespace("\u{1C} x y \u{3000}"), "x y")
        XCTAssertEqual(stripPythonWhitespace(" \t "), "")
    }

    func testPartitionKeepsOrder() {
        let records = ["Sales rose 0 % .", "a", "Sales rose 9 % .", "foobar"].enumerated().map { index, text in
            LabeledText(text: text, label: "neutral", lineNumber: index + 1)
        }
        let (train, dev) = PhraseBankSplit.partition(records)

        XCTAssertEqual(train.map(\.text), ["a", "foobar"])
        XCTAssertEqual(dev.map(\.text), ["Sales rose 0 % .", "Sales rose 9 % ."])
    }
}
