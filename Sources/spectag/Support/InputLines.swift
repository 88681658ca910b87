import Foundation

/// Reads a UTF-8 text file or standard input line by line, in numbered chunks.
final class InputLines {
    let name: String
    private let handle: FileHandle
    private var buffer = Data()
    private var lineNumber = 0
    private var finished = false

    /// - Throws: `CLIError` when the file cannot be opened.
    init(path: String?) throws {
        if let path, path != "-" {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw CLIError("\(path): cannot be opened for reading")
            }
            self.handle = handle
            name = path
        } else {
            handle = FileHandle.standardInput
            name = "<stdin>"
        }
    }

    /// Returns up to `count` non-empty lines with their 1-based numbers, or nil at the end.
    /// Lines that are not valid UTF-8 are decoded with replacement characters.
    func next(count: Int) throws -> [(Int, String)]? {
        var lines: [(Int, String)] = []
        while lines.count < count {
            guard let line = readLine() else { break }
            lineNumber += 1
            var text = String(decoding: line, as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            if !text.trimmingCharacters(in: .whitespaces).isEmpty { lines.append((lineNumber, text)) }
        }
        return lines.isEmpty && finished ? nil : lines
    }

    private func readLine() -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex ..< newline]
                buffer = Data(buffer[(newline + 1)...])
                return Data(line)
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                return buffer
            }
            let chunk = handle.availableData
            if chunk.isEmpty { finished = true } else { buffer.append(chunk) }
        }
    }
}

/// A document line of `spectag tag` input: plain text, or JSON with a `text` field.
enum DocumentLine {
    struct InvalidLine: Error, CustomStringConvertible { let description: String }

    static func parse(_ line: String) -> Result<String, InvalidLine> {
        guard line.first == "{" else { return .success(line) }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            return .failure(InvalidLine(description: "line starts with '{' but is not a valid JSON object"))
        }
        guard let text = object["text"] as? String else {
            return .failure(InvalidLine(description: "JSON object has no string field \"text\""))
        }
        return .success(text)
    }
}
