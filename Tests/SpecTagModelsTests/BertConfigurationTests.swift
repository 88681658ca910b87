import Foundation
import XCTest
@testable import SpecTagModels

final class BertConfigurationTests: XCTestCase {
    private func write(_ json: String) throws -> String {
        let path = try Fixtures.temporaryDirectory(self).appendingPathComponent("config.json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private let valid = #"{"vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 16"#

    func testReadsHuggingFaceKeys() throws {
        let configuration = try BertConfiguration(contentsOf: write(valid + #", "hidden_act": "gelu_new", "layer_norm_eps": 1e-5}"#))
        XCTAssertEqual(configuration.hiddenSize, 8)
        XCTAssertEqual(configuration.headSize, 4)
        XCTAssertEqual(configuration.activation, .geluTanh)
        XCTAssertEqual(configuration.layerNormEpsilon, 1e-5)
        XCTAssertEqual(configuration.maximumPositions, 512)
    }

    func testUnknownActivationNamesFileAndValue() throws {
        let path = try write(valid + #", "hidden_act": "swishy"}"#)
        XCTAssertThrowsError(try BertConfiguration(contentsOf: path)) { error in
            XCTAssertEqual(String(describing: error), "\(path): hidden_act 'swishy' is not supported; use gelu, gelu_new, gelu_pytorch_tanh or relu")
        }
    }

    func testMissingKeyIsReported() throws {
        let path = try write(#"{"hidden_size": 8}"#)
        XCTAssertThrowsError(try BertConfiguration(contentsOf: path)) { error in
            XCTAssertEqual(String(describing: error), "\(path): is missing the integer 'vocab_size'")
        }
    }

    func testHeadCountMustDivideHiddenSize() throws {
        let path = try write(#"{"vocab_size": 10, "hidden_size": 10, "num_hidden_layers": 1, "num_attention_heads": 3, "intermediate_size": 16}"#)
        XCTAssertThrowsError(try BertConfiguration(contentsOf: path)) { error in
            XCTAssertTrue(String(describing: error).contains("not a positive multiple"), "\(error)")
        }
    }

    func testMissingFileIsReported() {
        XCTAssertThrowsError(try BertConfiguration(contentsOf: "/nonexistent/config.json")) { error in
            XCTAssertEqual(String(describing: error), "/nonexistent/config.json: not found or unreadable")
        }
    }
}
