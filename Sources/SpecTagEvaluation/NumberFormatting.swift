import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - printf-compatible formatting

/// Formats `value` as C's `printf("%*.*f", width, precision, value)` does.
///
/// conlleval.pl (through Perl's `printf`) and Python's `format` both round the exact binary
/// value of the double to nearest, ties to even, as the C library does, so this function
/// reproduces the digits of both.
func formatFixed(_ value: Double, width: Int, precision: Int) -> String {
    var capacity = 64
    while true {
        var buffer = [CChar](repeating: 0, count: capacity)
        let length = withVaList([Int32(width), Int32(precision), value]) { arguments in
            vsnprintf(&buffer, capacity, "%*.*f", arguments)
        }
        if length < 0 {
            // A negative result means an invalid format or an output over INT_MAX bytes,
            // which "%*.*f" with a small width and precision cannot produce.
            return String(value)
        }
        if Int(length) < capacity {
            let bytes = buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }
            return String(decoding: bytes, as: UTF8.self)
        }
        capacity = Int(length) + 1
    }
}

/// Pads `text` on the left with spaces to `width` units, as `%*s` does.
///
/// - Parameter countingUTF8Bytes: `true` counts UTF-8 bytes, as Perl's `printf` does on byte
///   strings, and `false` counts Unicode code points, as Python's `format` does.
func padLeft(_ text: String, toWidth width: Int, countingUTF8Bytes: Bool) -> String {
    let length = countingUTF8Bytes ? text.utf8.count : text.unicodeScalars.count
    guard length < width else {
        return text
    }
    return String(repeating: " ", count: width - length) + text
}

// MARK: - Ordering

/// Compares strings by their UTF-8 bytes, which is the order of Perl's `sort` on byte strings
/// and of Python's and NumPy's string sort (code point order).
func precedesInByteOrder(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}
