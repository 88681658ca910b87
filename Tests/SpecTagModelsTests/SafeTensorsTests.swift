import Foundation
import XCTest
@testable import SpecTagModels

final class SafeTensorsTests: XCTestCase {
    /// Builds safetensors bytes from a header dictionary and a data section.
    private func safetensors(header: [String: Any], data: [UInt8]) throws -> Data {
        let json = try JSONSerialization.data(withJSONObject: header)
        var bytes = Data()
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(json)
        bytes.append(contentsOf: data)
        return bytes
    }

    private func entry(_ dtype: String, _ shape: [Int], _ begin: Int, _ end: Int) -> [String: Any] {
        ["dtype": dtype, "shape": shape, "data_offsets": [begin, end]]
    }

    func testReadsF32F16AndBF16Tensors() throws {
        var data: [UInt8] = []
        for value: Float in [1.5, -2] { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
        for value: Float16 in [0.25, -3] { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
        for value: Float in [6.5, -0.125] { withUnsafeBytes(of: UInt16(value.bitPattern >> 16).littleEndian) { data += $0 } }
        let bytes = try safetensors(header: [
            "a": entry("F32", [2], 0, 8), "b": entry("F16", [1, 2], 8, 12), "c": entry("BF16", [2], 12, 16),
            "__metadata__": ["format": "pt"],
        ], data: data)
        let file = try SafeTensorsFile(data: bytes, path: "test.safetensors")
        XCTAssertEqual(try file.floats("a"), [1.5, -2])
        XCTAssertEqual(try file.floats("b"), [0.25, -3])
        XCTAssertEqual(try file.floats("c"), [6.5, -0.125])
        XCTAssertEqual(file.entries["b"]?.shape, [1, 2])
        XCTAssertEqual(file.metadata["format"], "pt")
    }

    func testTruncatedDataIsReportedWithTensorName() throws {
        let bytes = try safetensors(header: ["weight": entry("F32", [4], 0, 16)], data: [UInt8](repeating: 0, count: 10))
        XCTAssertThrowsError(try SafeTensorsFile(data: bytes, path: "model.safetensors")) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.hasPrefix("model.safetensors: is truncated"), message)
            XCTAssertTrue(message.contains("'weight'"), message)
        }
    }

    func testTruncatedHeaderIsReported() throws {
        let bytes = try safetensors(header: ["weight": entry("F32", [1], 0, 4)], data: [0, 0, 0, 0]).prefix(20)
        XCTAssertThrowsError(try SafeTensorsFile(data: Data(bytes), path: "model.safetensors")) { error in
            XCTAssertTrue(String(describing: error).contains("is truncated: the header needs"), "\(error)")
        }
    }

    func testFileShorterThanLengthPrefixIsReported() {
        XCTAssertThrowsError(try SafeTensorsFile(data: Data([1, 2, 3]), path: "tiny.safetensors")) { error in
            XCTAssertEqual(String(describing: error), "tiny.safetensors: is truncated: 3 bytes, but a safetensors file starts with an 8-byte header length")
        }
    }

    func testHeaderThatIsNotJSONIsReported() throws {
        var bytes = Data()
        var length = UInt64(5).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array("{oops".utf8))
        XCTAssertThrowsError(try SafeTensorsFile(data: bytes, path: "bad.safetensors")) { error in
            XCTAssertEqual(String(describing: error), "bad.safetensors: header is not a JSON object")
        }
    }

    func testHugeHeaderLengthIsReported() {
        let bytes = Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x7B])
        XCTAssertThrowsError(try SafeTensorsFile(data: bytes, path: "random.bin")) { error in
            XCTAssertTrue(String(describing: error).contains("is larger than"), "\(error)")
        }
    }

    func testIntegerTensorIsValidatedButNotDecoded() throws {
        let bytes = try safetensors(header: ["ids": entry("I64", [1], 0, 8)], data: [UInt8](repeating: 0, count: 8))
        let file = try SafeTensorsFile(data: bytes, path: "m.safetensors")
        XCTAssertThrowsError(try file.floats("ids")) { error in
            XCTAssertEqual(String(describing: error), "m.safetensors: tensor 'ids' has dtype I64; spectag reads weights stored as F32, F16 or BF16")
        }
    }

    func testUnknownDataTypeIsReported() throws {
        let bytes = try safetensors(header: ["w": entry("F8_E9", [1], 0, 1)], data: [0])
        XCTAssertThrowsError(try SafeTensorsFile(data: bytes, path: "m.safetensors")) { error in
            XCTAssertEqual(String(describing: error), "m.safetensors: tensor 'w' has unknown dtype F8_E9")
        }
    }

    func testShapeAndOffsetsDisagreeIsReported() throws {
        let bytes = try safetensors(header: ["w": entry("F32", [3], 0, 8)], data: [UInt8](repeating: 0, count: 8))
        XCTAssertThrowsError(try SafeTensorsFile(data: bytes, path: "m.safetensors")) { error in
            XCTAssertTrue(String(describing: error).contains("needs 12 bytes but its offsets span 8"), "\(error)")
        }
    }

    func testOverlappingTensorsAreReported() throws {
        let bytes = try safetensors(header: ["a": entry("F32", [2], 0, 8), "b": entry("F32", [2], 4, 12)], data: [UInt8](repeating: 0, count: 12))
        XCTAssertThrowsError(try SafeTensorsFile(data: bytes, path: "m.safetensors")) { error in
            XCTAssertTrue(String(describing: error).contains("overlap"), "\(error)")
        }
    }

    func testMissingFileIsReportedWithPath() {
        XCTAssertThrowsError(try SafeTensorsFile(path: "/nonexistent/model.safetensors")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("/nonexistent/model.safetensors: cannot be read"), "\(error)")
        }
    }

    func testTensorStoreAcceptsBertPrefixAndChecksShape() throws {
        let data: [UInt8] = [UInt8](repeating: 0, count: 8)
        let bytes = try safetensors(header: ["bert.embeddings.x": entry("F32", [2], 0, 8)], data: data)
        let store = TensorStore(file: try SafeTensorsFile(data: bytes, path: "m.safetensors"))
        XCTAssertEqual(try store.floats("embeddings.x", shape: [2]), [0, 0])
        XCTAssertThrowsError(try store.floats("embeddings.x", shape: [1, 2])) { error in
            XCTAssertEqual(String(describing: error), "m.safetensors: tensor 'bert.embeddings.x' has shape [2], expected [1, 2]")
        }
        XCTAssertThrowsError(try store.floats("embeddings.y", shape: [2])) { error in
            XCTAssertEqual(String(describing: error), "m.safetensors: has no tensor named 'embeddings.y'")
        }
    }
}
