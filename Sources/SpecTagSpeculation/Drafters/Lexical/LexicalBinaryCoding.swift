// MARK: - Writing

/// Appends little-endian numbers and length-prefixed strings to a byte buffer.
struct LexicalByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func append(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func append(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    mutating func append(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    mutating func append(_ value: Float) {
        append(value.bitPattern)
    }

    /// Appends an unsigned LEB128 variable-length integer: 7 bits per byte, low bits first.
    mutating func appendVarint(_ value: Int) {
        precondition(value >= 0, "a varint must not be negative")
        var remaining = UInt64(value)
        while remaining >= 0x80 {
            bytes.append(UInt8(remaining & 0x7F) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    /// Appends the UTF-8 byte count as a varint, then the bytes.
    mutating func append(_ string: String) {
        let utf8 = Array(string.utf8)
        appendVarint(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    mutating func append(contentsOf other: [UInt8]) {
        bytes.append(contentsOf: other)
    }
}

// MARK: - Reading

/// Reads what `LexicalByteWriter` wrote, throwing instead of reading past the end. Each read
/// takes the name of the field it reads, for the error message.
struct LexicalByteReader {
    /// Thrown when a read runs past the end or a value is malformed; the caller adds the file.
    struct Failure: Error {
        let problem: String
    }

    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(bytes: [UInt8], offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - offset }

    private mutating func take(_ count: Int, _ field: String) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw Failure(problem: "ends inside \(field) at byte \(offset) (needs \(count) more bytes, \(remaining) left)")
        }
        let slice = bytes[offset ..< offset + count]
        offset += count
        return slice
    }

    mutating func readUInt8(_ field: String) throws -> UInt8 {
        try take(1, field).first ?? 0
    }

    mutating func readUInt16(_ field: String) throws -> UInt16 {
        try take(2, field).reversed().reduce(0) { ($0 << 8) | UInt16($1) }
    }

    mutating func readUInt32(_ field: String) throws -> UInt32 {
        try take(4, field).reversed().reduce(0) { ($0 << 8) | UInt32($1) }
    }

    mutating func readUInt64(_ field: String) throws -> UInt64 {
        try take(8, field).reversed().reduce(0) { ($0 << 8) | UInt64($1) }
    }

    mutating func readFloat(_ field: String) throws -> Float {
        let value = Float(bitPattern: try readUInt32(field))
        guard value.isFinite else {
            throw Failure(problem: "has a non-finite number in \(field) at byte \(offset - 4)")
        }
        return value
    }

    /// Reads a varint of at most 5 bytes (values below 2^35, far above any count in the file).
    mutating func readVarint(_ field: String) throws -> Int {
        var value = 0
        for index in 0 ..< 5 {
            let byte = try readUInt8(field)
            value |= Int(byte & 0x7F) << (7 * index)
            if byte & 0x80 == 0 { return value }
        }
        throw Failure(problem: "has a length in \(field) longer than 5 bytes at byte \(offset)")
    }

    /// Reads a count and checks that at least `minimumBytesEach` bytes per item remain, so a
    /// corrupt count cannot make the caller reserve huge arrays.
    mutating func readCount(_ field: String, minimumBytesEach: Int) throws -> Int {
        let count = try readVarint(field)
        guard count <= remaining / max(1, minimumBytesEach) else {
            throw Failure(problem: "declares \(count) \(field), more than the \(remaining) remaining bytes can hold")
        }
        return count
    }

    mutating func readString(_ field: String) throws -> String {
        let count = try readVarint(field)
        let slice = try take(count, field)
        guard let string = String(validating: slice, as: UTF8.self) else {
            throw Failure(problem: "has invalid UTF-8 in \(field) at byte \(offset - count)")
        }
        return string
    }

    mutating func readBytes(_ count: Int, _ field: String) throws -> [UInt8] {
        Array(try take(count, field))
    }
}

// MARK: - Checksum

/// Returns the 64-bit FNV-1a hash of `bytes`, the file's checksum.
func lexicalChecksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
    }
    return hash
}
