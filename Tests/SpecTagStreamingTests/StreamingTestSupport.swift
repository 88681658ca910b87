import Foundation
import SpecTagKafka
import SpecTagModels
import SpecTagSpeculation
@testable import SpecTagStreaming
import XCTest

// MARK: - Paths

enum StreamingTestPaths {
    /// The package root, derived from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // SpecTagStreamingTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent()

    static let tinyTagger = packageRoot.appendingPathComponent("Tests/SpecTagModelsTests/Fixtures/tiny-tagger")

    static func schema(_ name: String) -> URL {
        packageRoot.appendingPathComponent("schemas/\(name).schema.json")
    }
}

/// Loads the tiny random-weight model fixture with its drafting head, once per test run.
enum TinyTagger {
    static func make() throws -> TextTagger {
        let model = try TargetModel(folder: StreamingTestPaths.tinyTagger)
        let drafter = try XCTUnwrap(HeadDrafter(model: model), "the tiny tagger fixture has no drafting head")
        return TextTagger(model: model, drafter: drafter, maximumDraft: 4, batchSize: 8)
    }
}

// MARK: - Schema validation

/// Validates JSON documents against the files in schemas/ with Python's `jsonschema`
/// package (draft 2020-12, with format checks), which tests use as an independent referee.
enum SchemaValidator {
    private static let script = """
        import json, sys
        import jsonschema
        schema = json.load(open(sys.argv[1]))
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        for line in sys.stdin:
            try:
                instance = json.loads(line)
            except ValueError as error:
                print(json.dumps(["not JSON: %s" % error]))
                continue
            print(json.dumps(sorted("%s: %s" % ("/".join(map(str, e.absolute_path)), e.message) for e in validator.iter_errors(instance))))
        """

    /// Returns the schema violations of each document, in order; an empty list means valid.
    ///
    /// - Throws: `XCTSkip` when python3 or its `jsonschema` package is missing.
    static func violations(of documents: [Data], schema name: String) throws -> [[String]] {
        try requirePython()
        let input = documents.map { String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "\n", with: " ") }
            .joined(separator: "\n") + "\n"
        let output = try runPython(["-c", script, StreamingTestPaths.schema(name).path], input: input)
        let lines = output.split(separator: "\n")
        XCTAssertEqual(lines.count, documents.count, "the validator returned \(lines.count) results for \(documents.count) documents")
        return try lines.map { line in
            try JSONDecoder().decode([String].self, from: Data(line.utf8))
        }
    }

    private static func requirePython() throws {
        do {
            _ = try runPython(["-c", "import jsonschema"], input: "")
        } catch {
            throw XCTSkip("checking records against schemas/ needs python3 with jsonschema (pip install jsonschema): \(error)")
        }
    }

    private struct PythonFailed: Error, CustomStringConvertible {
        let description: String
    }

    private static func runPython(_ arguments: [String], input: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let standardInput = Pipe()
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardInput = standardInput
        process.standardOutput = standardOutput
        process.standardError = standardError
        try process.run()
        let writer = Thread {
            standardInput.fileHandleForWriting.write(Data(input.utf8))
            try? standardInput.fileHandleForWriting.close()
        }
        writer.start()
        let output = standardOutput.fileHandleForReading.readDataToEndOfFile()
        let errors = standardError.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PythonFailed(description: "python3 exited with status \(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

// MARK: - Messages

extension KafkaConsumerMessage {
    /// Returns a consumed message for tests, on partition 0 of `news` unless given.
    static func news(_ value: String?, key: String? = nil, offset: Int64 = 0, partition: Int32 = 0) -> KafkaConsumerMessage {
        KafkaConsumerMessage(
            topic: "news",
            partition: partition,
            offset: offset,
            key: key.map { Data($0.utf8) },
            value: value.map { Data($0.utf8) },
            timestamp: Date(timeIntervalSince1970: 1_796_414_400.25)
        )
    }
}
