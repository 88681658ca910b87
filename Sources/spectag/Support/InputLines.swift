import Foundation
import SpecTagStreaming

/// The reason an input line of `spectag tag` cannot be tagged.
struct InvalidInputLine: Error, CustomStringConvertible {
    let description: String
}

/// One non-blank input line with its 1-based number, or the reason it cannot be read.
struct InputLine {
    let number: Int
    let content: Result<String, InvalidInputLine>
}

/// Reads a UTF-8 text file or standard input line by line, in numbered chunks.
final class InputLines {
    let name: String
    private let handle: FileHandle
    private var buffer = Data()
    /// Bytes at the start of `buffer` already searched for a line break, so that a long line
    /// arriving in many reads is scanned once, not once per read.
    private var scanned = 0
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

    /// Returns up to `count` non-blank lines, or nil at the end.
    ///
    /// A line that is not valid UTF-8 is returned as a failure that names the first invalid
    /// byte and its offset, so the caller reports it instead of tagging replacement characters.
    func next(count: Int) throws -> [InputLine]? {
        var lines: [InputLine] = []
        while lines.count < count {
            guard var bytes = readLine() else { break }
            lineNumber += 1
            if bytes.last == 0x0D { bytes.removeLast() }
            if let problem = invalidUTF8Description(of: bytes) {
                let error = InvalidInputLine(description: "line is not valid UTF-8: \(problem)")
                lines.append(InputLine(number: lineNumber, content: .failure(error)))
                continue
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if !text.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(InputLine(number: lineNumber, content: .success(text)))
            }
        }
        return lines.isEmpty && finished ? nil : lines
    }

    private func readLine() -> Data? {
        while true {
            if let newline = buffer[(buffer.startIndex + scanned)...].firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex ..< newline]
                buffer = Data(buffer[(newline + 1)...])
                scanned = 0
                return Data(line)
            }
            scanned = buffer.count
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer {
                    buffer = Data()
                    scanned = 0
                }
                return buffer
            }
            let chunk = handle.availableData
            if chunk.isEmpty { finished = true } else { buffer.append(chunk) }
        }
    }
}

/// A document of `spectag tag` input: the text to tag and, for JSON lines, the caller's `id`.
struct Document {
    var text: String
    /// The caller's identifier, a JSON string or integer, copied to the output line unchanged.
    var id: JSONValue?

    /// Parses one input line: plain text, or a JSON object with a string field `text` and an
    /// optional `id` (a string or an integer) when the line starts with `{`.
    static func parse(_ line: String) -> Result<Document, InvalidInputLine> {
        guard line.first == "{" else { return .success(Document(text: line)) }
        let data = Data(line.utf8)
        guard let json = try? JSONValue.parse(data) else {
            let problem = JSONValue.syntaxProblem(in: data) ?? "unknown problem"
            return .failure(InvalidInputLine(description: "line starts with '{' but is not valid JSON: \(problem)"))
        }
        guard case .object(let fields) = json else {
            return .failure(InvalidInputLine(description: "line starts with '{' but is not a JSON object"))
        }
        guard case .string(let text)? = fields["text"] else {
            return .failure(InvalidInputLine(description: "JSON object has no string field \"text\""))
        }
        guard let id = fields["id"] else { return .success(Document(text: text)) }
        guard id.stringValue != nil || id.integerValue != nil else {
            return .failure(InvalidInputLine(description: "field \"id\" must be a string or an integer, got \(id.typeName)"))
        }
        return .success(Document(text: text, id: id))
    }
}
