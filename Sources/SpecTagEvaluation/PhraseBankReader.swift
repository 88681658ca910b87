import Foundation

// MARK: - Financial PhraseBank

/// Reads Financial PhraseBank files: one `sentence@label` per line.
///
/// The sentence is the text before the last `@` of the line, so a sentence may contain `@`.
/// Sentence and label are stripped of leading and trailing whitespace with
/// `stripPythonWhitespace(_:)`. The file is decoded as UTF-8 when it is valid UTF-8 and as
/// latin-1 otherwise (the published v1.0 files are latin-1). Blank lines are skipped.
public enum PhraseBankReader {
    /// The labels of Financial PhraseBank v1.0.
    public static let labels: Set<String> = ["positive", "neutral", "negative"]

    /// Reads and parses the file at `url`.
    ///
    /// - Parameter labels: The accepted labels, or `nil` to accept any non-empty label.
    /// - Throws: `EvaluationInputError` naming the file and line: unreadable file, NUL byte,
    ///   a line without `@`, an empty sentence or an unknown label.
    public static func read(contentsOf url: URL, labels: Set<String>? = PhraseBankReader.labels) throws -> [LabeledText] {
        try parse(readFileData(at: url), fileName: url.path, labels: labels)
    }

    /// Parses the bytes of a PhraseBank file. `fileName` only appears in error messages.
    ///
    /// - Throws: `EvaluationInputError` as `read(contentsOf:labels:)` does.
    public static func parse(_ data: Data, fileName: String, labels: Set<String>? = PhraseBankReader.labels) throws -> [LabeledText] {
        let (text, _) = try decodeText(data, fileName: fileName, policy: .utf8OrLatin1)
        var records: [LabeledText] = []
        for (index, line) in splitLines(text).enumerated() {
            let lineNumber = index + 1
            if stripPythonWhitespace(line).isEmpty {
                continue
            }
            // Split on code points, as Python does, so that a combining mark after '@'
            // cannot hide it inside one Character.
            let scalars = line.unicodeScalars
            guard let separator = scalars.lastIndex(of: "@") else {
                throw EvaluationInputError(
                    file: fileName, line: lineNumber,
                    problem: "no '@' separates the sentence from its label; expected 'sentence@label'")
            }
            let sentence = stripPythonWhitespace(String(scalars[..<separator]))
            let label = stripPythonWhitespace(String(scalars[scalars.index(after: separator)...]))
            guard !sentence.isEmpty else {
                throw EvaluationInputError(file: fileName, line: lineNumber, problem: "the sentence before '@' is empty")
            }
            try validateLabel(label, allowed: labels, fileName: fileName, lineNumber: lineNumber)
            records.append(LabeledText(text: sentence, label: label, lineNumber: lineNumber))
        }
        return records
    }

    private static func validateLabel(_ label: String, allowed: Set<String>?, fileName: String, lineNumber: Int) throws {
        if label.isEmpty {
            throw EvaluationInputError(file: fileName, line: lineNumber, problem: "the label after the last '@' is empty")
        }
        if let allowed, !allowed.contains(label) {
            let expected = allowed.sorted(by: precedesInByteOrder).joined(separator: ", ")
            throw EvaluationInputError(
                file: fileName, line: lineNumber, problem: "unknown label '\(label)'; expected one of \(expected)")
        }
    }
}
