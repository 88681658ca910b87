import XCTest

import SpecTagArguments

final class ArgumentValueTests: XCTestCase {
    func testBooleanSpellings() {
        for text in ["true", "TRUE", "1", "yes", "on"] {
            XCTAssertEqual(Bool(argument: text), true, text)
        }
        for text in ["false", "0", "no", "Off"] {
            XCTAssertEqual(Bool(argument: text), false, text)
        }
        XCTAssertNil(Bool(argument: "maybe"))
    }

    func testIntegerRangesAndDescriptions() {
        XCTAssertEqual(UInt16(argument: "9464"), 9464)
        XCTAssertNil(UInt16(argument: "70000"))
        XCTAssertNil(Int(argument: "1.5"))
        XCTAssertEqual(UInt16.expectedDescription, "an integer from 0 to 65535")
        XCTAssertEqual(Int.expectedDescription, "an integer")
    }

    func testNumbersRejectNonFinite() {
        XCTAssertEqual(Double(argument: "1e-4"), 0.000_1)
        XCTAssertNil(Double(argument: "nan"))
        XCTAssertNil(Double(argument: "inf"))
    }

    func testDurationUnits() {
        XCTAssertEqual(Duration(argument: "250ms"), .milliseconds(250))
        XCTAssertEqual(Duration(argument: "1.5s"), .milliseconds(1500))
        XCTAssertEqual(Duration(argument: "2m"), .seconds(120))
        XCTAssertEqual(Duration(argument: "1h"), .seconds(3600))
        XCTAssertNil(Duration(argument: "5"))
        XCTAssertNil(Duration(argument: "-1s"))
        XCTAssertNil(Duration(argument: "s"))
    }

    func testKeyValuePairSplitsAtFirstEquals() {
        XCTAssertEqual(KeyValuePair(argument: "sasl.jaas.config=a=b"), KeyValuePair(key: "sasl.jaas.config", value: "a=b"))
        XCTAssertEqual(KeyValuePair(argument: "empty="), KeyValuePair(key: "empty", value: ""))
        XCTAssertNil(KeyValuePair(argument: "novalue"))
        XCTAssertNil(KeyValuePair(argument: "=x"))
    }
}
