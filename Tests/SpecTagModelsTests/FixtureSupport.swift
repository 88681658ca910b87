import Foundation
import XCTest

/// Locations of test fixtures and of data outside the repository.
enum Fixtures {
    /// The directory of a bundled fixture file or folder.
    static func path(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
            throw XCTSkip("fixture \(name) is missing from the test bundle")
        }
        return url.path
    }

    /// The package root, found from this source file's location.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Decodes a bundled JSON fixture.
    static func json<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: try path(name)))
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// Creates a temporary directory that is removed when the test ends.
    static func temporaryDirectory(_ testCase: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spectag-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

/// Asserts that two float sequences agree element by element within `tolerance`.
func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Float, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(message): lengths differ", file: file, line: line)
    let worst = zip(actual, expected).enumerated().max { abs($0.element.0 - $0.element.1) < abs($1.element.0 - $1.element.1) }
    if let worst, abs(worst.element.0 - worst.element.1) > tolerance {
        XCTFail("\(message): element \(worst.offset) is \(worst.element.0), expected \(worst.element.1) (tolerance \(tolerance))", file: file, line: line)
    }
}
