import Foundation

/// The element types of the safetensors format. spectag decodes the floating-point ones and
/// validates the layout of the others (checkpoints carry int64 `position_ids`, for example).
public enum SafeTensorsDataType: String, Sendable {
    case float64 = "F64"
    case float32 = "F32"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int64 = "I64"
    case int32 = "I32"
    case int16 = "I16"
    case int8 = "I8"
    case uint8 = "U8"
    case bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16, .int16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    /// Whether `SafeTensorsFile.floats(_:)` can decode this type.
    public var isDecodedAsFloat: Bool { [.float32, .float16, .bfloat16].contains(self) }
}

/// One tensor's entry in a safetensors header.
public struct SafeTensorsEntry: Sendable, Equatable {
    public let dataType: SafeTensorsDataType
    public let shape: [Int]
    /// Byte range within the data section that follows the header.
    public let byteRange: Range<Int>

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A parsed `.safetensors` file: an 8-byte little-endian header length, a JSON header that maps
/// tensor names to `{dtype, shape, data_offsets}`, then the raw little-endian tensor data.
///
/// The header is validated in full on load: its length, its JSON, every dtype, shape and offset
/// pair, and that every tensor's byte count matches its shape and lies inside the file.
public struct SafeTensorsFile: Sendable {
    public let path: String
    public let entries: [String: SafeTensorsEntry]
    public let metadata: [String: String]
    private let data: Data
    private let dataStart: Int

    /// Largest header accepted, as in the reference implementation (100 MB).
    static let maximumHeaderSize = 100_000_000

    /// Reads and validates the file at `path`.
    /// - Throws: `CheckpointError` naming the file when it cannot be read, is truncated, or has
    ///   a malformed header.
    public init(path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw CheckpointError(path: path, problem: "cannot be read (\(error.localizedDescription))")
        }
        try self.init(data: data, path: path)
    }

    /// Parses safetensors bytes; `path` is used in error messages only.
    /// - Throws: `CheckpointError` when the bytes are truncated or the header is malformed.
    public init(data: Data, path: String) throws {
        self.path = path
        self.data = data
        func fail(_ problem: String) -> CheckpointError { CheckpointError(path: path, problem: problem) }

        guard data.count >= 8 else {
            throw fail("is truncated: \(data.count) bytes, but a safetensors file starts with an 8-byte header length")
        }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(Self.maximumHeaderSize) else {
            throw fail("header length \(headerLength) is larger than the \(Self.maximumHeaderSize)-byte limit; the file is not safetensors or is corrupt")
        }
        guard Int(headerLength) <= data.count - 8 else {
            throw fail("is truncated: the header needs \(headerLength) bytes but only \(data.count - 8) follow")
        }
        dataStart = 8 + Int(headerLength)
        let headerBytes = data.subdata(in: data.startIndex + 8 ..< data.startIndex + dataStart)
        guard let header = (try? JSONSerialization.jsonObject(with: headerBytes)) as? [String: Any] else {
            throw fail("header is not a JSON object")
        }

        var metadata: [String: String] = [:]
        var entries: [String: SafeTensorsEntry] = [:]
        let available = data.count - dataStart
        for (name, value) in header {
            if name == "__metadata__" {
                metadata = (value as? [String: String]) ?? [:]
                continue
            }
            let entry = try Self.parseEntry(name: name, value: value, available: available, fail: fail)
            entries[name] = entry
        }
        try Self.checkNoOverlap(entries, fail: fail)
        self.entries = entries
        self.metadata = metadata
    }

    private static func parseEntry(
        name: String, value: Any, available: Int, fail: (String) -> CheckpointError
    ) throws -> SafeTensorsEntry {
        guard let fields = value as? [String: Any],
              let dtypeName = fields["dtype"] as? String,
              let shapeValues = fields["shape"] as? [Any],
              let offsetValues = fields["data_offsets"] as? [Any], offsetValues.count == 2 else {
            throw fail("tensor '\(name)' needs dtype, shape and a data_offsets pair in the header")
        }
        guard let dataType = SafeTensorsDataType(rawValue: dtypeName) else {
            throw fail("tensor '\(name)' has unknown dtype \(dtypeName)")
        }
        let shape = shapeValues.compactMap { ($0 as? NSNumber)?.intValue }
        guard shape.count == shapeValues.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw fail("tensor '\(name)' has an invalid shape \(shapeValues)")
        }
        let offsets = offsetValues.compactMap { ($0 as? NSNumber)?.intValue }
        guard offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw fail("tensor '\(name)' has invalid data_offsets \(offsetValues)")
        }
        guard offsets[1] <= available else {
            throw fail("is truncated: tensor '\(name)' ends at byte \(offsets[1]) of the data section, which has \(available) bytes")
        }
        let entry = SafeTensorsEntry(dataType: dataType, shape: shape, byteRange: offsets[0] ..< offsets[1])
        let (expected, overflow) = entry.elementCount.multipliedReportingOverflow(by: dataType.size)
        guard !overflow, expected == entry.byteRange.count else {
            throw fail("tensor '\(name)' of shape \(shape) and dtype \(dtypeName) needs \(expected) bytes but its offsets span \(entry.byteRange.count)")
        }
        return entry
    }

    private static func checkNoOverlap(_ entries: [String: SafeTensorsEntry], fail: (String) -> CheckpointError) throws {
        let sorted = entries.sorted { $0.value.byteRange.lowerBound < $1.value.byteRange.lowerBound }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.value.byteRange.upperBound > next.value.byteRange.lowerBound {
            throw fail("tensors '\(previous.key)' and '\(next.key)' overlap in the data section")
        }
    }

    /// Returns the tensor's elements converted to `Float` (F16 and BF16 are widened exactly).
    /// - Throws: `CheckpointError` when no tensor has that name or its type is not F32, F16 or BF16.
    public func floats(_ name: String) throws -> [Float] {
        guard let entry = entries[name] else {
            throw CheckpointError(path: path, problem: "has no tensor named '\(name)'")
        }
        guard entry.dataType.isDecodedAsFloat else {
            throw CheckpointError(path: path, problem: "tensor '\(name)' has dtype \(entry.dataType.rawValue); spectag reads weights stored as F32, F16 or BF16")
        }
        let start = data.startIndex + dataStart + entry.byteRange.lowerBound
        let bytes = data[start ..< start + entry.byteRange.count]
        return bytes.withUnsafeBytes { raw in Self.decode(raw, entry.dataType, count: entry.elementCount) }
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, _ type: SafeTensorsDataType, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { output, initialized in
            switch type {
            case .float32:
                for index in 0 ..< count {
                    output[index] = Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self).littleEndian)
                }
            case .float16:
                for index in 0 ..< count {
                    let bits = raw.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self).littleEndian
                    output[index] = Float(Float16(bitPattern: bits))
                }
            case .bfloat16:
                for index in 0 ..< count {
                    let bits = raw.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self).littleEndian
                    output[index] = Float(bitPattern: UInt32(bits) << 16)
                }
            default:
                preconditionFailure("floats(_:) checks the dtype before decoding")
            }
            initialized = count
        }
    }
}
