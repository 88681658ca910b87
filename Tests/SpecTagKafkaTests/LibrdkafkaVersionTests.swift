import SpecTagKafka
import XCTest

final class LibrdkafkaVersionTests: XCTestCase {
    func testEncodedVersionDecodesMajorMinorPatch() {
        XCTAssertEqual(LibrdkafkaVersion(encoded: 0x0200_02FF), LibrdkafkaVersion(major: 2, minor: 0, patch: 2))
        XCTAssertEqual(LibrdkafkaVersion(encoded: 0x0210_00FF).description, "2.16.0")
    }

    func testVersionsCompareByComponent() {
        let old = LibrdkafkaVersion(major: 2, minor: 0, patch: 2)
        let new = LibrdkafkaVersion(major: 2, minor: 16, patch: 0)

        XCTAssertLessThan(old, new)
        XCTAssertLessThan(LibrdkafkaVersion(major: 1, minor: 99, patch: 99), old)
    }

    func testHeadersVersionIsDebianRelease() {
        XCTAssertEqual(LibrdkafkaVersion.headers, LibrdkafkaVersion(major: 2, minor: 0, patch: 2))
    }

    func testLoadedVersionIsAtLeastHeadersVersion() {
        XCTAssertGreaterThanOrEqual(LibrdkafkaVersion.loaded, LibrdkafkaVersion.headers)
    }

    func testTansuProblemNamesVersionAndFix() throws {
        let message = try XCTUnwrap(LibrdkafkaVersion.tansuCompatibilityProblem(
            version: LibrdkafkaVersion(major: 2, minor: 0, patch: 2),
            required: .testedWithTansu
        ))

        XCTAssertTrue(message.contains("librdkafka 2.0.2 is loaded"), message)
        XCTAssertTrue(message.contains("2.16.0"), message)
        XCTAssertTrue(message.contains("LD_LIBRARY_PATH=$(scripts/librdkafka-runtime)"), message)
    }

    func testTansuProblemIsNilForNewEnoughVersion() {
        XCTAssertNil(LibrdkafkaVersion.tansuCompatibilityProblem(version: LibrdkafkaVersion(major: 2, minor: 16, patch: 1)))
        XCTAssertNil(LibrdkafkaVersion.tansuCompatibilityProblem(version: .minimumForTansu))
    }
}
