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

    func testTagReportsInvalidUTF8LineAndContinues() throws {
        var input = Data("Markets rallied.\n".utf8)
        input.append(contentsOf: [0x43, 0x61, 0x66, 0xE9, 0x0A])
        input.append(Data("Siemens fell.\n".utf8))

        let output = try CommandRunner.run(["tag", "--model", model, "--no-words"], inputBytes: input)

        XCTAssertEqual(output.status, 1)
        let lines = try outputObjects(output.standardOutput)
        XCTAssertEqual(lines.map { $0["line"] as? Int }, [1, 3])
        XCTAssertTrue(
            output.standardError.contains("<stdin>:2: line is not valid UTF-8: invalid sequence starting with byte 0xE9 at offset 3"),
            output.standardError
        )
    }

    func testTagReadsLinesLongerThanOneRead() throws {
        let long = "Siemens " + String(repeating: "Z", count: 300_000)
        let input = "Markets rallied.\r\n\n" + long + "\nBanks fell."

        let output = try CommandRunner.run(["tag", "--model", model, "--no-words"], input: input)

        XCTAssertEqual(output.status, 0, output.standardError)
        let lines = try outputObjects(output.standardOutput)
        XCTAssertEqual(lines.map { $0["line"] as? Int }, [1, 3, 4])
        XCTAssertEqual(lines.map { $0["text"] as? String }, ["Markets rallied.", long, "Banks fell."])
    }

    func testTagCopiesDocumentIDToOutput() throws {
        let input = #"{"id": "n-1", "text": "Siemens fell."}"# + "\n" + #"{"id": 42, "text": ""}"# + "\nPlain line.\n"

        let output = try CommandRunner.run(["tag", "--model", model, "--no-words"], input: input)

        XCTAssertEqual(output.status, 0, output.standardError)
        let lines = try outputObjects(output.standardOutput)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[0]["id"] as? String, "n-1")
        XCTAssertEqual(lines[1]["id"] as? Int, 42)
        XCTAssertEqual(lines[1]["text"] as? String, "")
        XCTAssertNil(lines[2]["id"])
    }

    func testTagRejectsInvalidIDType() throws {
        let input = #"{"id": 1.5, "text": "a"}"# + "\n" + #"{"id": true, "text": "b"}"# + "\n"

        let output = try CommandRunner.run(["tag", "--model", model], input: input)

        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(output.standardOutput, "")
        XCTAssertTrue(output.standardError.contains("<stdin>:1: field \"id\" must be a string or an integer, got number"), output.standardError)
        XCTAssertTrue(output.standardError.contains("<stdin>:2: field \"id\" must be a string or an integer, got boolean"), output.standardError)
    }

    func testTagReportsWhereJSONLineIsInvalid() throws {
        let output = try CommandRunner.run(["tag", "--model", model], input: "{\"text\": \"Apple\n")

        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.standardError.contains("<stdin>:1: line starts with '{' but is not valid JSON: "), output.standardError)
    }

    func testMissingModelFolderIsAClearError() throws {
        let output = try CommandRunner.run(["tag", "--model", "/nonexistent/model"], input: "Hello\n")
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.standardError.contains("Error: /nonexistent/model: model folder not found"), output.standardError)
    }

    private func outputObjects(_ standardOutput: String) throws -> [[String: Any]] {
        try standardOutput.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }
}
