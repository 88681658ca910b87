// MARK: - Tokens and sentences

/// One token line of a CoNLL file.
public struct CoNLLToken: Equatable, Sendable {
    /// The columns before the gold tag: the word first, then any others (POS, chunk, ...).
    /// Never empty.
    public var features: [String]
    /// The gold NER tag, after any IOB1 to IOB2 conversion the reader applied.
    public var goldTag: String
    /// The predicted tag from the column after the gold tag, when the file has one.
    public var predictedTag: String?
    /// The 1-based line number in the source file.
    public var lineNumber: Int

    public init(features: [String], goldTag: String, predictedTag: String? = nil, lineNumber: Int) {
        self.features = features
        self.goldTag = goldTag
        self.predictedTag = predictedTag
        self.lineNumber = lineNumber
    }

    /// The word, which is the first column.
    public var word: String { features.first ?? "" }
}

/// A sentence: the token lines between two sentence boundaries. Never empty.
public struct CoNLLSentence: Equatable, Sendable {
    public var tokens: [CoNLLToken]

    public init(tokens: [CoNLLToken]) {
        self.tokens = tokens
    }

    public var words: [String] { tokens.map(\.word) }
    public var goldTags: [String] { tokens.map(\.goldTag) }
    /// The predicted tags, or `nil` when any token has none.
    public var predictedTags: [String]? {
        let tags = tokens.compactMap(\.predictedTag)
        return tags.count == tokens.count ? tags : nil
    }
}

/// A `-DOCSTART-` line, which marks the start of a news article in CoNLL-2003.
public struct CoNLLDocumentStart: Equatable, Sendable {
    /// Every column of the line as read, `-DOCSTART-` first.
    public var columns: [String]
    /// The 1-based line number in the source file.
    public var lineNumber: Int

    public init(columns: [String], lineNumber: Int) {
        self.columns = columns
        self.lineNumber = lineNumber
    }
}

/// A part of a CoNLL file in file order.
public enum CoNLLElement: Equatable, Sendable {
    case documentStart(CoNLLDocumentStart)
    case sentence(CoNLLSentence)
}

// MARK: - Document

/// A CoNLL file as read by `CoNLLReader`: sentences and `-DOCSTART-` lines in file order.
public struct CoNLLDocument: Equatable, Sendable {
    /// The file name or path that the reader was given, for messages.
    public var fileName: String
    /// The sentences and `-DOCSTART-` lines in file order.
    public var elements: [CoNLLElement]
    /// The tag scheme of the gold column in the file, detected or forced (see `TagScheme`).
    public var sourceScheme: TagScheme
    /// Whether the reader converted the tag columns from IOB1 to IOB2, so that `goldTag` and
    /// `predictedTag` differ from the file at the first token of each entity.
    public var isConvertedToIOB2: Bool
    /// Whether each token line has a predicted tag column after the gold tag.
    public var hasPredictionColumn: Bool

    public init(
        fileName: String, elements: [CoNLLElement], sourceScheme: TagScheme,
        isConvertedToIOB2: Bool, hasPredictionColumn: Bool
    ) {
        self.fileName = fileName
        self.elements = elements
        self.sourceScheme = sourceScheme
        self.isConvertedToIOB2 = isConvertedToIOB2
        self.hasPredictionColumn = hasPredictionColumn
    }

    /// The sentences in file order, without the `-DOCSTART-` lines.
    public var sentences: [CoNLLSentence] {
        elements.compactMap { element in
            if case .sentence(let sentence) = element {
                return sentence
            }
            return nil
        }
    }

    /// The number of `-DOCSTART-` lines.
    public var documentStartCount: Int {
        elements.reduce(0) { count, element in
            if case .documentStart = element {
                return count + 1
            }
            return count
        }
    }

    /// The number of token lines, without `-DOCSTART-` lines.
    public var tokenCount: Int {
        sentences.reduce(0) { $0 + $1.tokens.count }
    }
}
