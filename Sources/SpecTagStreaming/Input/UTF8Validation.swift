import Foundation

// MARK: - UTF-8 validation

/// Returns the byte offset of the first invalid UTF-8 sequence in `bytes`, or `nil` when
/// all of it is valid UTF-8.
///
/// Overlong forms, surrogate code points and code points above U+10FFFF are invalid, as
/// Unicode's definition of UTF-8 requires.
func firstInvalidUTF8Offset<Bytes: Collection<UInt8>>(in bytes: Bytes) -> Int? {
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = 0
    while true {
        switch parser.parseScalar(from: &iterator) {
        case .valid(let encoded):
            offset += encoded.count
        case .emptyInput:
            return nil
        case .error:
            return offset
        }
    }
}

/// Returns a description of the first invalid UTF-8 sequence in `bytes`, such as "invalid
/// sequence starting with byte 0xFF at offset 3", or `nil` when all of it is valid UTF-8.
public func invalidUTF8Description(of bytes: Data) -> String? {
    guard let offset = firstInvalidUTF8Offset(in: bytes) else { return nil }
    let byte = String(bytes[bytes.startIndex + offset], radix: 16, uppercase: true)
    return "invalid sequence starting with byte 0x\(byte) at offset \(offset)"
}
