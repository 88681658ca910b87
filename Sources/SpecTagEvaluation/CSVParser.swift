// MARK: - Records

/// One record of a CSV file.
public struct CSVRecord: Equatable, Sendable {
    /// The fields with quotes removed and `""` unescaped.
    public var fields: [String]
    /// The 1-based line where the record starts. A record spans several lines when a quoted
    /// field contains line breaks.
    public var lineNumber: Int

    public init(fields: [String], lineNumber: Int) {
        self.fields = fields
        self.lineNumber = lineNumber
    }
}

// MARK: - Parser

/// Parses CSV text as RFC 4180 describes it, with a few common relaxations.
///
/// - Fields are separated by commas and records by LF, CRLF or CR.
/// - A field that starts with `"` is quoted: it ends at the next lone `"`, `""` stands for one
///   `"`, and commas and line breaks inside are kept as they are.
/// - Relaxations: a `"` inside an unquoted field is kept as a literal character, as Python's
///   `csv` module keeps it, and empty lines between records are skipped.
public enum CSVParser {
    /// Parses `text` into records. `fileName` only appears in error messages.
    ///
    /// - Throws: `EvaluationInputError` naming the file and line when a quoted field is not
    ///   closed before the end of the file, or when a closing quote is followed by something
    ///   other than a comma or a line break.
    public static func parse(_ text: String, fileName: String) throws -> [CSVRecord] {
        var state = ParserState()
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()

        while let scalar = pending {
            pending = scalars.next()
            switch state.field {
            case .start, .unquoted:
                if scalar == "\"", state.field == .start {
                    state.field = .quoted
                    state.quoteLine = state.line
                } else if scalar == "," {
                    state.endField()
                } else if scalar == "\n" || scalar == "\r" {
                    if scalar == "\r", pending == "\n" {
                        pending = scalars.next()
                    }
                    state.endRecord()
                    state.line += 1
                } else {
                    state.value.unicodeScalars.append(scalar)
                    state.field = .unquoted
                }
            case .quoted:
                if scalar == "\"" {
                    if pending == "\"" {
                        state.value.unicodeScalars.append("\"")
                        pending = scalars.next()
                    } else {
                        state.field = .afterClosingQuote
                    }
                } else {
                    state.value.unicodeScalars.append(scalar)
                    if scalar == "\n" || (scalar == "\r" && pending != "\n") {
                        state.line += 1
                    }
                }
            case .afterClosingQuote:
                if scalar == "," {
                    state.endField()
                } else if scalar == "\n" || scalar == "\r" {
                    if scalar == "\r", pending == "\n" {
                        pending = scalars.next()
                    }
                    state.endRecord()
                    state.line += 1
                } else {
                    throw EvaluationInputError(
                        file: fileName, line: state.line,
                        problem: "unexpected character '\(scalar)' after the closing quote of field "
                            + "\(state.fields.count + 1); inside a quoted field write a quote as \"\"")
                }
            }
        }

        if state.field == .quoted {
            throw EvaluationInputError(
                file: fileName, line: state.quoteLine,
                problem: "the quoted field that starts on this line is not closed before the end of the file")
        }
        state.endRecord()
        return state.records
    }
}

// MARK: - State

private struct ParserState {
    enum Field {
        /// No character of the current field read yet.
        case start
        case unquoted
        case quoted
        case afterClosingQuote
    }

    var records: [CSVRecord] = []
    var fields: [String] = []
    var value = ""
    var field = Field.start
    /// The current 1-based line.
    var line = 1
    /// The line where the current record started.
    var recordLine = 1
    /// The line where the current quoted field started.
    var quoteLine = 1

    mutating func endField() {
        fields.append(value)
        value = ""
        field = .start
    }

    /// Ends the current record at a line break or the end of the text. An empty line, which
    /// has no field and no quote, yields no record.
    mutating func endRecord() {
        let isEmptyLine = fields.isEmpty && value.isEmpty && field == .start
        if !isEmptyLine {
            endField()
            records.append(CSVRecord(fields: fields, lineNumber: recordLine))
        }
        fields = []
        value = ""
        field = .start
        recordLine = line + 1
    }
}
