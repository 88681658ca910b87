import Foundation

// MARK: - Options

/// Settings for `CoNLLReader`.
public struct CoNLLReadOptions: Equatable, Sendable {
    /// The entity types of CoNLL-2003.
    public static let conll2003EntityTypes: Set<String> = ["PER", "ORG", "LOC", "MISC"]

    /// Whether each token line ends with a predicted tag after the gold tag, as in the files
    /// that conlleval.pl scores. When `false`, the last column is the gold tag.
    public var hasPredictionColumn: Bool
    /// The valid entity types `X` of `B-X` and `I-X`, or `nil` to accept any non-empty type.
    public var entityTypes: Set<String>?
    /// The choice of the gold column's scheme: detected from the tags or forced.
    public var scheme: TagSchemeSelection
    /// Whether to convert the gold and predicted columns to IOB2 when the scheme is IOB1.
    ///
    /// Entities are the same either way, but token-level comparisons (conlleval's accuracy,
    /// the classification report) differ. Keep the default for comparing with a tagger that
    /// outputs IOB2. Set `false` to score an existing predictions file exactly as
    /// conlleval.pl does.
    public var convertsToIOB2: Bool

    public init(
        hasPredictionColumn: Bool = false,
        entityTypes: Set<String>? = CoNLLReadOptions.conll2003EntityTypes,
        scheme: TagSchemeSelection = .detect,
        convertsToIOB2: Bool = true
    ) {
        self.hasPredictionColumn = hasPredictionColumn
        self.entityTypes = entityTypes
        self.scheme = scheme
        self.convertsToIOB2 = convertsToIOB2
    }
}

// MARK: - Reader

/// Reads CoNLL column files such as CoNLL-2003 `eng.testa` or a conlleval predictions file.
///
/// Format:
/// - One token per line, columns separated by runs of spaces or tabs. The gold NER tag is the
///   last column, or the one before last when `hasPredictionColumn` is set. Every token line
///   must have the same number of columns.
/// - Blank lines (empty or whitespace only) separate sentences.
/// - A line whose first column is `-DOCSTART-` is kept as a `CoNLLDocumentStart` and also
///   ends the current sentence. A line whose first column is `-X-` is a sentence boundary, as
///   in conlleval.pl.
/// - Line endings may be LF, CRLF or CR, and the final line may lack one.
/// - The file must be UTF-8 (a leading byte order mark is allowed).
public enum CoNLLReader {
    /// Reads and parses the file at `url`.
    ///
    /// - Throws: `EvaluationInputError` naming the file and, when it applies, the 1-based line:
    ///   unreadable file, NUL byte, invalid UTF-8, too few columns, a column count that differs
    ///   from the first token line, or an invalid tag.
    public static func read(contentsOf url: URL, options: CoNLLReadOptions = .init()) throws -> CoNLLDocument {
        let data = try readFileData(at: url)
        return try parse(data, fileName: url.path, options: options)
    }

    /// Parses the bytes of a CoNLL file. `fileName` names the file in error messages and in
    /// `CoNLLDocument.fileName`.
    ///
    /// - Throws: `EvaluationInputError` as `read(contentsOf:options:)` does.
    public static func parse(_ data: Data, fileName: String, options: CoNLLReadOptions = .init()) throws -> CoNLLDocument {
        let (text, _) = try decodeText(data, fileName: fileName, policy: .utf8Only)
        var parser = LineParser(fileName: fileName, options: options)
        for (index, line) in splitLines(text).enumerated() {
            try parser.consume(line, lineNumber: index + 1)
        }
        parser.finishSentence()
        return parser.makeDocument()
    }
}

// MARK: - Line parser

/// The state of `CoNLLReader` while it walks the lines of one file.
private struct LineParser {
    let fileName: String
    let options: CoNLLReadOptions
    var elements: [CoNLLElement] = []
    var currentTokens: [CoNLLToken] = []
    /// The column count and line number of the first token line, which every other
    /// token line must match.
    var expectedColumns: (count: Int, lineNumber: Int)?

    init(fileName: String, options: CoNLLReadOptions) {
        self.fileName = fileName
        self.options = options
    }

    var tagColumnCount: Int { options.hasPredictionColumn ? 2 : 1 }

    mutating func consume(_ line: Substring, lineNumber: Int) throws {
        let columns = line.split(whereSeparator: isColumnSeparator).map(String.init)
        guard let first = columns.first else {
            finishSentence()
            return
        }
        if first == "-DOCSTART-" {
            finishSentence()
            elements.append(.documentStart(CoNLLDocumentStart(columns: columns, lineNumber: lineNumber)))
            return
        }
        if first == "-X-" {
            finishSentence()
            return
        }
        try checkColumnCount(columns.count, lineNumber: lineNumber)

        let goldTag = columns[columns.count - tagColumnCount]
        try validateTag(goldTag, column: "gold", lineNumber: lineNumber)
        var predictedTag: String?
        if options.hasPredictionColumn, let last = columns.last {
            try validateTag(last, column: "predicted", lineNumber: lineNumber)
            predictedTag = last
        }
        let features = Array(columns.dropLast(tagColumnCount))
        currentTokens.append(
            CoNLLToken(features: features, goldTag: goldTag, predictedTag: predictedTag, lineNumber: lineNumber))
    }

    mutating func finishSentence() {
        guard !currentTokens.isEmpty else {
            return
        }
        elements.append(.sentence(CoNLLSentence(tokens: currentTokens)))
        currentTokens = []
    }

    func makeDocument() -> CoNLLDocument {
        let scheme: TagScheme
        switch options.scheme {
        case .forced(let forced):
            scheme = forced
        case .detect:
            let goldColumns = elements.compactMap { element -> [String]? in
                if case .sentence(let sentence) = element {
                    return sentence.goldTags
                }
                return nil
            }
            scheme = BIOTags.detectScheme(in: goldColumns)
        }

        let converts = options.convertsToIOB2 && scheme == .iob1
        let convertedElements = converts ? elements.map(convertToIOB2) : elements
        return CoNLLDocument(
            fileName: fileName, elements: convertedElements, sourceScheme: scheme,
            isConvertedToIOB2: converts, hasPredictionColumn: options.hasPredictionColumn)
    }

    // MARK: Validation

    private mutating func checkColumnCount(_ count: Int, lineNumber: Int) throws {
        let minimum = tagColumnCount + 1
        guard count >= minimum else {
            let layout = options.hasPredictionColumn
                ? "a word, its gold tag and a predicted tag"
                : "a word followed by its gold tag"
            throw EvaluationInputError(
                file: fileName, line: lineNumber,
                problem: "expected at least \(minimum) columns (\(layout)), found \(count)")
        }
        guard let expected = expectedColumns else {
            expectedColumns = (count, lineNumber)
            return
        }
        guard count == expected.count else {
            throw EvaluationInputError(
                file: fileName, line: lineNumber,
                problem: "found \(count) columns, but line \(expected.lineNumber) has \(expected.count); "
                    + "every token line needs the same columns")
        }
    }

    private func validateTag(_ tag: String, column: String, lineNumber: Int) throws {
        guard !isValidTag(tag) else {
            return
        }
        throw EvaluationInputError(
            file: fileName, line: lineNumber,
            problem: "unknown \(column) tag '\(tag)': expected O, B-X or I-X with X in \(allowedTypesText)")
    }

    private func isValidTag(_ tag: String) -> Bool {
        guard let parsed = BIOTag(tag) else {
            return false
        }
        guard let type = parsed.type, let allowed = options.entityTypes else {
            return true
        }
        return allowed.contains(type)
    }

    private var allowedTypesText: String {
        guard let types = options.entityTypes else {
            return "any non-empty entity type"
        }
        return types.sorted(by: precedesInByteOrder).joined(separator: ", ")
    }
}

// MARK: - Helpers

private func isColumnSeparator(_ character: Character) -> Bool {
    character == " " || character == "\t" || character == "\u{0B}" || character == "\u{0C}"
}

private func convertToIOB2(_ element: CoNLLElement) -> CoNLLElement {
    guard case .sentence(var sentence) = element else {
        return element
    }
    let gold = BIOTags.convertIOB1ToIOB2(sentence.goldTags)
    let predicted = sentence.predictedTags.map(BIOTags.convertIOB1ToIOB2)
    for index in sentence.tokens.indices {
        sentence.tokens[index].goldTag = gold[index]
        if let predicted {
            sentence.tokens[index].predictedTag = predicted[index]
        }
    }
    return .sentence(sentence)
}
