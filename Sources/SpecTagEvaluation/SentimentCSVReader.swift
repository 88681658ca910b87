import Foundation

// MARK: - Column selection

/// A CSV column chosen by header name or by 0-based position.
public enum CSVColumn: Equatable, Sendable, CustomStringConvertible {
    case name(String)
    case index(Int)

    /// Parses a command-line value: digits only select a 0-based position, anything else a
    /// header name.
    public init(parsing value: String) {
        if !value.isEmpty, value.allSatisfy(\.isASCII), let index = Int(value), index >= 0 {
            self = .index(index)
        } else {
            self = .name(value)
        }
    }

    public var description: String {
        switch self {
        case .name(let name): return "'\(name)'"
        case .index(let index): return "\(index)"
        }
    }
}

// MARK: - Label mapping

/// A mapping from the labels written in a file to the labels used for scoring, such as
/// `0=negative,1=positive,2=neutral`.
public struct LabelMapping: Equatable, Sendable {
    /// The scoring label for each raw label.
    public var labels: [String: String]

    public init(_ labels: [String: String]) {
        self.labels = labels
    }

    /// Parses comma-separated `raw=label` pairs. Spaces around each part are ignored.
    ///
    /// - Throws: `EvaluationArgumentError` when a pair lacks `=`, a side is empty, or a raw
    ///   label appears twice.
    public init(parsing specification: String) throws {
        var labels: [String: String] = [:]
        for pair in specification.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let raw = parts.first.map { stripPythonWhitespace($0) } ?? ""
            let label = parts.count == 2 ? stripPythonWhitespace(parts[1]) : ""
            guard parts.count == 2, !raw.isEmpty, !label.isEmpty else {
                throw EvaluationArgumentError(
                    "invalid label mapping entry '\(pair)' in '\(specification)'; "
                        + "expected raw=label pairs such as 0=negative,1=positive,2=neutral")
            }
            guard labels[raw] == nil else {
                throw EvaluationArgumentError("the label mapping '\(specification)' maps '\(raw)' twice")
            }
            labels[raw] = label
        }
        self.labels = labels
    }
}

// MARK: - Options

/// Settings for `SentimentCSVReader`.
public struct SentimentCSVOptions: Equatable, Sendable {
    /// The column that contains the text.
    public var textColumn: CSVColumn
    /// The column that contains the label.
    public var labelColumn: CSVColumn
    /// Whether the first record is a header row. Columns chosen by name need one.
    public var hasHeader: Bool
    /// The mapping applied to each raw label, or `nil` to use the raw label as it is.
    public var labelMapping: LabelMapping?

    public init(
        textColumn: CSVColumn = .name("text"), labelColumn: CSVColumn = .name("label"),
        hasHeader: Bool = true, labelMapping: LabelMapping? = nil
    ) {
        self.textColumn = textColumn
        self.labelColumn = labelColumn
        self.hasHeader = hasHeader
        self.labelMapping = labelMapping
    }
}

// MARK: - Reader

/// Reads labeled texts from a CSV file with a text column and a label column, such as the
/// Twitter financial news sentiment data (`text,label` with labels 0, 1, 2).
///
/// The file is parsed by `CSVParser` and decoded as UTF-8 when valid, else as latin-1. The
/// text and the raw label are stripped of leading and trailing whitespace.
public enum SentimentCSVReader {
    /// Reads and parses the file at `url`.
    ///
    /// - Throws: `EvaluationInputError` naming the file and, when it applies, the line. The
    ///   causes are an unreadable file, a NUL byte and malformed quoting. Others are a column
    ///   name missing from the header, a record too short for a selected column, an empty
    ///   label and a label missing from the mapping.
    public static func read(contentsOf url: URL, options: SentimentCSVOptions = .init()) throws -> [LabeledText] {
        try parse(readFileData(at: url), fileName: url.path, options: options)
    }

    /// Parses the bytes of a CSV file. `fileName` only appears in error messages.
    ///
    /// - Throws: `EvaluationInputError` as `read(contentsOf:options:)` does.
    public static func parse(_ data: Data, fileName: String, options: SentimentCSVOptions = .init()) throws -> [LabeledText] {
        let (text, _) = try decodeText(data, fileName: fileName, policy: .utf8OrLatin1)
        var records = try CSVParser.parse(text, fileName: fileName)[...]
        let header = options.hasHeader ? records.popFirst() : nil
        let textIndex = try resolve(options.textColumn, header: header, fileName: fileName)
        let labelIndex = try resolve(options.labelColumn, header: header, fileName: fileName)

        return try records.map { record in
            let text = try field(textIndex, of: record, column: options.textColumn, fileName: fileName)
            let rawLabel = try field(labelIndex, of: record, column: options.labelColumn, fileName: fileName)
            let label = try mapLabel(rawLabel, with: options.labelMapping, fileName: fileName, lineNumber: record.lineNumber)
            return LabeledText(text: text, label: label, lineNumber: record.lineNumber)
        }
    }

    // MARK: Helpers

    private static func resolve(_ column: CSVColumn, header: CSVRecord?, fileName: String) throws -> Int {
        switch column {
        case .index(let index):
            return index
        case .name(let name):
            guard let header else {
                throw EvaluationInputError(
                    file: fileName, line: nil,
                    problem: "column \(column) is chosen by name, but the file is read without a header row; "
                        + "choose columns by 0-based index")
            }
            let names = header.fields.map { stripPythonWhitespace($0) }
            guard let index = names.firstIndex(of: name) else {
                throw EvaluationInputError(
                    file: fileName, line: header.lineNumber,
                    problem: "column \(column) not found; the header has \(names.joined(separator: ", "))")
            }
            return index
        }
    }

    private static func field(_ index: Int, of record: CSVRecord, column: CSVColumn, fileName: String) throws -> String {
        guard index < record.fields.count else {
            throw EvaluationInputError(
                file: fileName, line: record.lineNumber,
                problem: "the record has \(record.fields.count) fields, so column \(column) "
                    + "(0-based index \(index)) is missing")
        }
        return stripPythonWhitespace(record.fields[index])
    }

    private static func mapLabel(_ raw: String, with mapping: LabelMapping?, fileName: String, lineNumber: Int) throws -> String {
        guard !raw.isEmpty else {
            throw EvaluationInputError(file: fileName, line: lineNumber, problem: "the label is empty")
        }
        guard let mapping else {
            return raw
        }
        guard let label = mapping.labels[raw] else {
            let known = mapping.labels.keys.sorted(by: precedesInByteOrder).joined(separator: ", ")
            throw EvaluationInputError(
                file: fileName, line: lineNumber, problem: "label '\(raw)' is not in the label mapping (\(known))")
        }
        return label
    }
}
