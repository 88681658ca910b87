import Foundation
import XCTest

/// `spectag tag` end to end with the tiny random model.
final class TagCommandTests: XCTestCase {
    private var model: String { CommandRunner.packageRoot.appendingPathComponent("Tests/SpecTagModelsTests/Fixtures/tiny-tagger").path }

    func testTagPrintsOneJSONLinePerDocumentWithSpans() throws {
        let input = "Apple shares rose in New York.\n{\"text\": \"Café Müller’s naïve résumé 📈 cost €1,200.\"}\n"
        let output = try CommandRunner.run(["tag", "--model", model], input: input)
        XCTAssertEqual(output.status, 0, output.standardError)
        let lines = output.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        for (line, text) in zip(lines, ["Apple shares rose in New York.", "Café Müller’s naïve résumé 📈 cost €1,200."]) {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertEqual(object["text"] as? String, text)
            let scalars = Array(text.unicodeScalars)
            for entity in try XCTUnwrap(object["entities"] as? [[String: Any]]) {
                let start = try XCTUnwrap(entity["start"] as? Int)
                let end = try XCTUnwrap(entity["end"] as? Int)
                XCTAssertEqual(entity["text"] as? String, String(String.UnicodeScalarView(scalars[start ..< end])), "entity span must cut the original text")
            }
            let sentiment = try XCTUnwrap(object["sentiment"] as? [String: Any])
            XCTAssertNotNil(["negative", "neutral", "positive"].firstIndex(of: sentiment["label"] as? String ?? ""))
        }
        XCTAssertTrue(output.standardError.contains("draft tokens:"), output.standardError)
        XCTAssertTrue(output.standardError.contains("decoder speedup:"), output.standardError)
    }

    func testTagReportsBadJSONLineAndContinues() throws {
        let output = try CommandRunner.run(["tag", "--model", model], input: "{\"title\": 1}\nMarkets rallied.\n")
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.standardOutput.split(separator: "\n").count, 1)
        XCTAssertTrue(output.standardError.contains("<stdin>:1: JSON object has no string field \"text\""), output.standardError)
    }

    func testMissingModelFolderIsAClearError() throws {
        let output = try CommandRunner.run(["tag", "--model", "/nonexistent/model"], input: "Hello\n")
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.standardError.contains("Error: /nonexistent/model: model folder not found"), output.standardError)
    }
}
