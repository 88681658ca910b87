// MARK: - Java properties syntax

/// The line-level rules of `java.util.Properties.load`, used by ``KafkaProperties/parse(_:source:)``.
enum PropertiesFileParser {
    /// A key-value line after continuation lines were joined.
    struct LogicalLine {
        /// 1-based number of the natural line where the logical line starts.
        var number: Int
        /// The raw text with continuations removed and escapes still in place.
        var text: Substring
    }

    private static let whitespace: Set<Character> = [" ", "\t", "\u{0C}"]

    // MARK: Lines

    /// Splits `text` into logical lines, dropping blank lines and comment lines.
    ///
    /// A natural line ends at `\n`, `\r` or `\r\n`. A line whose end is preceded by an odd
    /// number of backslashes continues on the next natural line, minus that line's leading
    /// white space. A comment line never continues.
    static func logicalLines(of text: String) -> [LogicalLine] {
        let naturalLines = splitNaturalLines(text)
        var result: [LogicalLine] = []
        var index = 0
        while index < naturalLines.count {
            let startNumber = index + 1
            let first = naturalLines[index].drop { whitespace.contains($0) }
            index += 1
            if first.isEmpty || first.first == "#" || first.first == "!" {
                continue
            }

            var joined = first
            while endsWithContinuation(joined) {
                joined = joined.dropLast()
                guard index < naturalLines.count else { break }
                let next = naturalLines[index].drop { whitespace.contains($0) }
                index += 1
                joined = Substring(String(joined) + String(next))
            }
            result.append(LogicalLine(number: startNumber, text: joined))
        }
        return result
    }

    private static func splitNaturalLines(_ text: String) -> [Substring] {
        // "\r\n" is a single Character in Swift, so one split handles all three line ends.
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    }

    private static func endsWithContinuation(_ line: Substring) -> Bool {
        var backslashes = 0
        for character in line.reversed() {
            guard character == "\\" else { break }
            backslashes += 1
        }
        return backslashes % 2 == 1
    }

    // MARK: Entries

    /// Splits a logical line into key and value and resolves their escapes.
    ///
    /// The key ends at the first unescaped `=`, `:` or white space. One `=` or `:` after the
    /// key, with white space around it, separates key and value.
    /// - Throws: ``KafkaPropertiesError`` for an empty key or a malformed `\u` escape.
    static func parseEntry(_ line: LogicalLine, source: String) throws -> KafkaProperties.Entry {
        let characters = Array(line.text)
        var position = 0
        var keyEnd = characters.count
        while position < characters.count {
            let character = characters[position]
            if character == "\\" {
                position += 2
                continue
            }
            if character == "=" || character == ":" || whitespace.contains(character) {
                keyEnd = position
                break
            }
            position += 1
        }
        keyEnd = min(keyEnd, characters.count)

        var valueStart = keyEnd
        while valueStart < characters.count, whitespace.contains(characters[valueStart]) {
            valueStart += 1
        }
        if valueStart < characters.count, characters[valueStart] == "=" || characters[valueStart] == ":" {
            valueStart += 1
            while valueStart < characters.count, whitespace.contains(characters[valueStart]) {
                valueStart += 1
            }
        }

        let key = try unescape(characters[0..<keyEnd], trimTrailingWhitespace: false, line: line, source: source)
        guard !key.isEmpty else {
            throw KafkaPropertiesError(source: source, line: line.number, problem: "the key is empty")
        }
        let value = try unescape(
            characters[valueStart...],
            trimTrailingWhitespace: true,
            line: line,
            source: source
        )
        return KafkaProperties.Entry(key: key, value: value)
    }

    /// Resolves backslash escapes, building UTF-16 so that `\uD83D\uDE00` pairs combine.
    ///
    /// With `trimTrailingWhitespace`, white space after the last escaped character or
    /// non-white-space character is dropped.
    private static func unescape(
        _ characters: ArraySlice<Character>,
        trimTrailingWhitespace: Bool,
        line: LogicalLine,
        source: String
    ) throws -> String {
        var units: [UInt16] = []
        var keptLength = 0
        var index = characters.startIndex
        while index < characters.endIndex {
            let character = characters[index]
            index += 1
            guard character == "\\" else {
                units.append(contentsOf: character.utf16)
                if !whitespace.contains(character) { keptLength = units.count }
                continue
            }
            guard index < characters.endIndex else {
                // A lone backslash at the very end of the input: Java drops it.
                break
            }
            let escaped = characters[index]
            index += 1
            switch escaped {
            case "t": units.append(0x09)
            case "n": units.append(0x0A)
            case "r": units.append(0x0D)
            case "f": units.append(0x0C)
            case "u":
                let digits = characters[index..<min(index + 4, characters.endIndex)]
                guard digits.count == 4, let unit = UInt16(String(digits), radix: 16) else {
                    throw KafkaPropertiesError(
                        source: source,
                        line: line.number,
                        problem: "malformed \\uXXXX escape: expected four hexadecimal digits after \\u"
                    )
                }
                units.append(unit)
                index += 4
            default:
                units.append(contentsOf: escaped.utf16)
            }
            keptLength = units.count
        }
        if trimTrailingWhitespace {
            units.removeLast(units.count - keptLength)
        }
        return String(decoding: units, as: UTF16.self)
    }
}
