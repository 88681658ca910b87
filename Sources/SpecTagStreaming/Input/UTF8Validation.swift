// MARK: - UTF-8 validation

/// Returns the byte offset of the first invalid UTF-8 sequence in `bytes`, or `nil` when
/// all of it is valid UTF-8.
///
/// Overlong forms, surrogate code points and code points above U+10FFFF are invalid, as
/// Unicode's definition of UTF-8 requires.
public func firstInvalidUTF8Offset<Bytes: Collection<UInt8>>(in bytes: Bytes) -> Int? {
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
