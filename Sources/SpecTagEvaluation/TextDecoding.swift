import Foundation

// MARK: - Text encodings

/// The character encoding that a reader decoded a file with.
public enum TextEncoding: String, Codable, Sendable {
    case utf8 = "UTF-8"
    case latin1 = "ISO-8859-1"
}

/// The decoding rule that a reader applies to the bytes of a text file.
enum TextDecodingPolicy {
    /// Reject the file unless it is valid UTF-8.
    case utf8Only
    /// Decode as UTF-8 when the whole file is valid UTF-8, else as ISO-8859-1 (latin-1),
    /// which maps every byte to the code point of the same value.
    case utf8OrLatin1
}

// MARK: - Decoding

/// Reads a file for a reader and turns a Foundation failure into an `EvaluationInputError`.
///
/// - Throws: `EvaluationInputError` naming the file when it cannot be read.
func readFileData(at url: URL) throws -> Data {
    do {
        return try Data(contentsOf: url)
    } catch {
        throw EvaluationInputError(
            file: url.path, line: nil,
            problem: "cannot read the file (\(error.localizedDescription))")
    }
}

/// Decodes a text file into a string and reports the encoding used.
///
/// A leading UTF-8 byte order mark is dropped. Line endings are left unchanged.
///
/// - Throws: `EvaluationInputError` when the file contains a NUL byte (a binary file), naming
///   the line of the first one, or, under `.utf8Only`, when a line is not valid UTF-8.
func decodeText(
    _ data: Data, fileName: String, policy: TextDecodingPolicy
) throws -> (text: String, encoding: TextEncoding) {
    let bytes = [UInt8](data)
    if let nulOffset = bytes.firstIndex(of: 0) {
        throw EvaluationInputError(
            file: fileName, line: lineNumber(ofOffset: nulOffset, in: bytes),
            problem: "contains a NUL byte, so it is a binary file, not a text file")
    }

    let body = bytes.starts(with: utf8ByteOrderMark) ? Array(bytes.dropFirst(3)) : bytes
    if let text = String(validating: body, as: UTF8.self) {
        return (text, .utf8)
    }

    switch policy {
    case .utf8OrLatin1:
        let scalars = body.map { Unicode.Scalar($0) }
        return (String(String.UnicodeScalarView(scalars)), .latin1)
    case .utf8Only:
        let line = firstInvalidUTF8Line(in: body) ?? 1
        throw EvaluationInputError(
            file: fileName, line: line,
            problem: "is not valid UTF-8 text; convert the file to UTF-8 (for example with iconv)")
    }
}

/// Splits decoded text into lines on LF, CRLF or a lone CR.
///
/// A final line terminator does not start another line, and a missing one loses nothing.
/// Element `i` of the result is line `i + 1` of the file.
func splitLines(_ text: String) -> [Substring] {
    var lines: [Substring] = []
    let bytes = text.utf8
    var lineStart = bytes.startIndex
    var index = bytes.startIndex
    // CR and LF are ASCII, so these UTF-8 indices are always valid character boundaries.
    while index < bytes.endIndex {
        let byte = bytes[index]
        guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
            index = bytes.index(after: index)
            continue
        }
        lines.append(text[lineStart..<index])
        var next = bytes.index(after: index)
        if byte == UInt8(ascii: "\r"), next < bytes.endIndex, bytes[next] == UInt8(ascii: "\n") {
            next = bytes.index(after: next)
        }
        lineStart = next
        index = next
    }
    if lineStart < bytes.endIndex {
        lines.append(text[lineStart..<bytes.endIndex])
    }
    return lines
}

// MARK: - Helpers

private let utf8ByteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

/// Returns the 1-based line that contains the byte at `offset`.
private func lineNumber(ofOffset offset: Int, in bytes: [UInt8]) -> Int {
    var line = 1
    for byte in bytes[..<offset] where byte == UInt8(ascii: "\n") {
        line += 1
    }
    return line
}

/// Returns the 1-based number of the first line that is not valid UTF-8, if any.
private func firstInvalidUTF8Line(in bytes: [UInt8]) -> Int? {
    for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        .enumerated()
    where String(validating: line, as: UTF8.self) == nil {
        return index + 1
    }
    return nil
}
