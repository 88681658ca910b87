import SpecTagAlerts
import XCTest

final class EntityNameTests: XCTestCase {
    func testCaseAndLegalFormMapToOneKey() {
        for name in ["Apple Inc.", "APPLE", "apple", "Apple Inc", "Apple, Inc.", "  Apple   Inc. "] {
            XCTAssertEqual(EntityName.normalize(name), "apple", name)
        }
        XCTAssertEqual(EntityName.normalize("Barclays PLC"), "barclays")
        XCTAssertEqual(EntityName.normalize("barclays plc"), EntityName.normalize("Barclays"))
        XCTAssertEqual(EntityName.normalize("Nokia Oyj"), "nokia")
    }

    func testPossessiveIsRemoved() {
        XCTAssertEqual(EntityName.normalize("Apple's"), "apple")
        XCTAssertEqual(EntityName.normalize("Apple\u{2019}s"), "apple")
        XCTAssertEqual(EntityName.normalize("Apple Inc.'s"), "apple")
    }

    func testAmpersandAndInternalHyphenAreKept() {
        XCTAssertEqual(EntityName.normalize("AT&T"), "at&t")
        XCTAssertEqual(EntityName.normalize("AT&T Inc."), "at&t")
        XCTAssertEqual(EntityName.normalize("Coca-Cola Co"), "coca-cola")
        XCTAssertEqual(EntityName.normalize("Procter & Gamble Co."), "procter & gamble")
    }

    func testEdgeHyphensAndOtherPunctuationBecomeSpaces() {
        XCTAssertEqual(EntityName.normalize("-Siemens-"), "siemens")
        XCTAssertEqual(EntityName.normalize("Yahoo!"), "yahoo")
        XCTAssertEqual(EntityName.normalize("Coca - Cola"), "coca cola")
        XCTAssertEqual(EntityName.normalize("\"Deutsche\tBank\"\n"), "deutsche bank")
    }

    func testSuffixesAreRemovedRepeatedly() {
        XCTAssertEqual(EntityName.normalize("HSBC Holdings plc"), "hsbc")
        XCTAssertEqual(EntityName.normalize("Acme Group Holdings Ltd."), "acme")
        XCTAssertEqual(EntityName.normalize("Banco Santander S.A."), "banco santander")
    }

    func testNameOfOnlySuffixWordsKeepsOneWord() {
        XCTAssertEqual(EntityName.normalize("Group"), "group")
        XCTAssertEqual(EntityName.normalize("Holdings Group"), "holdings")
        XCTAssertEqual(EntityName.normalize("Inc."), "inc")
    }

    func testCompatibilityCharactersAreFolded() {
        // Fullwidth Latin letters (U+FF21 and up) fold to ASCII under NFKC.
        XCTAssertEqual(EntityName.normalize("\u{FF21}\u{FF30}\u{FF30}\u{FF2C}\u{FF25}"), "apple")
        XCTAssertEqual(EntityName.normalize("Soci\u{0065}\u{0301}t\u{00E9} G\u{00E9}n\u{00E9}rale SA"), "soci\u{00E9}t\u{00E9} g\u{00E9}n\u{00E9}rale")
    }

    func testDottedAbbreviationsJoin() {
        XCTAssertEqual(EntityName.normalize("U.S. Steel"), "us steel")
        XCTAssertEqual(EntityName.normalize("Amazon.com"), "amazon com")
    }

    func testTextWithoutWordsIsEmpty() {
        XCTAssertEqual(EntityName.normalize(""), "")
        XCTAssertEqual(EntityName.normalize(" .,;! "), "")
    }

    func testNormalizationIsIdempotent() {
        for name in ["Apple Inc.", "AT&T", "Coca-Cola Co", "Banco Santander S.A.", "U.S. Steel", "Group", "Nokia Oyj"] {
            let key = EntityName.normalize(name)
            XCTAssertEqual(EntityName.normalize(key), key, name)
        }
    }
}
