import SpecTagKafka
import XCTest

final class KafkaPropertiesOverrideTests: XCTestCase {
    func testOverrideParsesKeyAndValue() throws {
        let entry = try KafkaProperties.parseOverride("security.protocol=SASL_SSL")

        XCTAssertEqual(entry, KafkaProperties.Entry(key: "security.protocol", value: "SASL_SSL"))
    }

    func testOverrideKeepsEqualsSignsInValue() throws {
        let entry = try KafkaProperties.parseOverride("sasl.oauthbearer.config=scope=news principal=a")

        XCTAssertEqual(entry.key, "sasl.oauthbearer.config")
        XCTAssertEqual(entry.value, "scope=news principal=a")
    }

    func testOverrideAllowsEmptyValueAndTrimsKey() throws {
        let entry = try KafkaProperties.parseOverride(" debug =")

        XCTAssertEqual(entry, KafkaProperties.Entry(key: "debug", value: ""))
    }

    func testOverrideRejectsMissingEquals() {
        XCTAssertThrowsError(try KafkaProperties.parseOverride("acks")) { error in
            let description = "\(error)"
            XCTAssertTrue(description.contains("-X acks"), description)
            XCTAssertTrue(description.contains("expected key=value"), description)
        }
    }

    func testOverrideRejectsEmptyKey() {
        XCTAssertThrowsError(try KafkaProperties.parseOverride("=all")) { error in
            XCTAssertTrue("\(error)".contains("empty"), "\(error)")
        }
    }

    func testOverrideRejectsWhitespaceInKey() {
        XCTAssertThrowsError(try KafkaProperties.parseOverride("linger ms=5")) { error in
            XCTAssertTrue("\(error)".contains("\"linger ms\" contains white space"), "\(error)")
        }
    }

    func testOverrideErrorNeverShowsSecretValue() {
        XCTAssertThrowsError(try KafkaProperties.parseOverride("sasl password=hunter2")) { error in
            XCTAssertFalse("\(error)".contains("hunter2"), "\(error)")
        }
        XCTAssertThrowsError(try KafkaProperties.parseOverride("sasl.password")) { error in
            XCTAssertFalse("\(error)".contains("sasl.password"), "\(error)")
            XCTAssertTrue("\(error)".contains("[REDACTED]"), "\(error)")
        }
    }

    func testApplyOverrideReplacesFileValue() throws {
        var properties = try KafkaProperties.parse("acks=1\nlinger.ms=5", source: "test")

        try properties.applyOverride("acks=all")

        XCTAssertEqual(properties["acks"], "all")
        XCTAssertEqual(properties["linger.ms"], "5")
    }

    func testMergingLetsOtherPropertiesWin() {
        let defaults: KafkaProperties = ["acks": "all", "linger.ms": "5"]
        let overrides: KafkaProperties = ["linger.ms": "50", "compression.type": "zstd"]

        let merged = defaults.merging(overrides)

        XCTAssertEqual(merged.entries.map(\.key), ["acks", "linger.ms", "compression.type"])
        XCTAssertEqual(merged["linger.ms"], "50")
    }

    func testSubscriptAssigningNilRemovesKey() {
        var properties: KafkaProperties = ["acks": "all", "debug": "all"]

        properties["debug"] = nil

        XCTAssertEqual(properties.entries.map(\.key), ["acks"])
    }
}
