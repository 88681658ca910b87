import Foundation
import SpecTagEvaluation
import XCTest

// MARK: - Fixtures

/// Returns the URL of a file in the test target's `Fixtures` folder, such as
/// `conlleval/chunk-rules.txt`.
func fixtureURL(_ relativePath: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
    let folder = try XCTUnwrap(
        Bundle.module.url(forResource: "Fixtures", withExtension: nil),
        "the Fixtures folder is missing from the test bundle", file: file, line: line)
    let url = folder.appendingPathComponent(relativePath)
    XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "missing fixture \(url.path)", file: file, line: line)
    return url
}

/// Returns the contents of a fixture as UTF-8 text.
func fixtureText(_ relativePath: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let data = try Data(contentsOf: fixtureURL(relativePath, file: file, line: line))
    return try XCTUnwrap(String(data: data, encoding: .utf8), "fixture \(relativePath) is not UTF-8", file: file, line: line)
}

// MARK: - Shared data sets

/// Returns the URL of a file under the shared data folder `../shared/data` (relative to the
/// package root), or throws `XCTSkip` when the file is absent.
func sharedDataURL(_ relativePath: String) throws -> URL {
    let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SpecTagEvaluationTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
    let url = packageRoot.appendingPathComponent("../shared/data").appendingPathComponent(relativePath).standardized
    guard FileManager.default.fileExists(atPath: url.path) else {
        throw XCTSkip("data set file \(url.path) is absent; place the shared data next to the package to run this test")
    }
    return url
}

// MARK: - Errors

/// Asserts that `body` throws an `EvaluationInputError` and returns it for further checks.
@discardableResult
func assertThrowsInputError<T>(
    _ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line
) -> EvaluationInputError? {
    do {
        _ = try body()
        XCTFail("expected an EvaluationInputError, but nothing was thrown", file: file, line: line)
    } catch let error as EvaluationInputError {
        return error
    } catch {
        XCTFail("expected an EvaluationInputError, got \(error)", file: file, line: line)
    }
    return nil
}
