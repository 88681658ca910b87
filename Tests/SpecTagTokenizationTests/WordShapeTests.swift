import XCTest

@testable import SpecTagTokenization

final class WordShapeTests: XCTestCase {
    func testWordShapeCases() {
        let cases: [(String, WordShape)] = [
            ("A", .capitalized), ("IBM", .upper), ("iPhone", .mixed), ("McDonald", .mixed), ("1996", .digits),
            ("--", .punct), ("3M", .capitalized), ("apple", .lower), ("Apple", .capitalized), ("U.S.", .upper),
            ("1,200.50", .digits), ("$", .punct), ("", .punct), ("Müller", .capitalized), ("ÉCU", .upper),
            ("東京", .mixed), ("n't", .lower), ("'s", .lower), ("x2", .lower), ("٣", .digits),
        ]
        for (word, expected) in cases {
            XCTAssertEqual(WordShape(of: word), expected, "shape of \"\(word)\"")
        }
    }

    func testWordShapeRawValuesMatchModelFormat() {
        XCTAssertEqual(WordShape.allCases.map(\.rawValue), ["lower", "capitalized", "upper", "mixed", "digits", "punct"])
    }
}
