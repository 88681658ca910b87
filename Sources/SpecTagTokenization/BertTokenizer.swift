import Foundation

// MARK: - BERT WordPiece tokenizer

/// The BERT WordPiece tokenizer, with the same ids, tokens, offsets and word indices as Hugging
/// Face `BertTokenizer` (the `tokenizers`-backed one, formerly `BertTokenizerFast`).
///
/// The pipeline, in order:
/// 1. Special tokens written verbatim in the text (`[MASK]`) are matched first and kept whole.
/// 2. Cleaning removes NUL, U+FFFD and control characters (category `C*` except tab, newline and
///    carriage return) and turns every whitespace character into a space.
/// 3. CJK ideographs get spaces around them, so each becomes its own word.
/// 4. When lowercasing (or when `stripAccents` is true) the text is NFD-decomposed and nonspacing
///    marks (category `Mn`) are removed. Then it is lowercased if `lowercase` is set.
/// 5. The text is split on whitespace and every punctuation character becomes its own word.
/// 6. Each word is split by greedy longest-match-first WordPiece; a word with no segmentation
///    or longer than `maxInputCharactersPerWord` scalars becomes `[UNK]`.
///
/// Offsets always point into the original string, even where normalization changed its length.
/// The ids also equal the pure-Python BERT tokenizer's, except for input that is not in NFC form
/// with a cased vocabulary: the Python tokenizer composes it first and this one, like the
/// `tokenizers` library, does not.
public struct BertTokenizer: SubwordTokenizer {
    /// Settings from `tokenizer_config.json`, with Hugging Face's defaults.
    public struct Options: Sendable, Equatable {
        /// `do_lower_case`.
        public var lowercase: Bool
        /// `strip_accents`; nil strips accents exactly when lowercasing.
        public var stripAccents: Bool?
        /// `tokenize_chinese_chars`.
        public var tokenizeChineseCharacters: Bool
        /// `max_input_chars_per_word` of the WordPiece model.
        public var maxInputCharactersPerWord: Int
        public var unknownToken: String
        public var clsToken: String
        public var sepToken: String
        public var padToken: String
        public var maskToken: String

        public init(
            lowercase: Bool = true, stripAccents: Bool? = nil, tokenizeChineseCharacters: Bool = true,
            maxInputCharactersPerWord: Int = 100, unknownToken: String = "[UNK]",
            clsToken: String = "[CLS]", sepToken: String = "[SEP]", padToken: String = "[PAD]",
            maskToken: String = "[MASK]"
        ) {
            self.lowercase = lowercase
            self.stripAccents = stripAccents
            self.tokenizeChineseCharacters = tokenizeChineseCharacters
            self.maxInputCharactersPerWord = maxInputCharactersPerWord
            self.unknownToken = unknownToken
            self.clsToken = clsToken
            self.sepToken = sepToken
            self.padToken = padToken
            self.maskToken = maskToken
        }

        /// Whether accents are stripped, resolving the nil default.
        public var stripsAccents: Bool { stripAccents ?? lowercase }
    }

    public let options: Options
    public let specialTokens: SpecialTokens
    public var vocabularySize: Int { tokens.count }

    private let tokens: [String]
    private let vocabulary: ScalarTrie
    private let wordPiece: WordPiece
    private let specialTokenSplitter: SpecialTokenSplitter

    // MARK: Creating

    /// Creates a tokenizer from the vocabulary entries in id order (the lines of `vocab.txt`).
    ///
    /// - Parameter source: names the vocabulary in error messages, usually its file path.
    /// - Throws: `TokenizerError.invalidFile` when the vocabulary is empty or lacks one of the
    ///   unknown, CLS, SEP or PAD tokens named in `options`, and `.invalidArgument` when
    ///   `maxInputCharactersPerWord` is not positive.
    public init(tokens: [String], options: Options = Options(), source: String = "vocabulary") throws {
        guard !tokens.isEmpty else {
            throw TokenizerError.invalidFile(path: source, reason: "the vocabulary contains no tokens")
        }
        guard options.maxInputCharactersPerWord > 0 else {
            throw TokenizerError.invalidArgument(
                "maxInputCharactersPerWord must be positive, got \(options.maxInputCharactersPerWord)")
        }
        var vocabulary = ScalarTrie()
        for (id, token) in tokens.enumerated() {
            vocabulary.insert(token.unicodeScalars, value: id)
        }

        func required(_ text: String, _ role: String) throws -> SpecialToken {
            guard let id = vocabulary.value(for: text.unicodeScalars) else {
                throw TokenizerError.invalidFile(
                    path: source, reason: "the vocabulary has no \(role) token \"\(text)\"")
            }
            return SpecialToken(text: text, id: id)
        }
        let unknown = try required(options.unknownToken, "unknown")
        let mask = vocabulary.value(for: options.maskToken.unicodeScalars)
            .map { SpecialToken(text: options.maskToken, id: $0) }
        self.specialTokens = SpecialTokens(
            cls: try required(options.clsToken, "CLS"), sep: try required(options.sepToken, "SEP"),
            pad: try required(options.padToken, "padding"), unk: unknown, mask: mask)
        self.options = options
        self.tokens = tokens
        self.vocabulary = vocabulary
        self.wordPiece = WordPiece(
            tokens: tokens, unknownToken: unknown,
            maxInputCharactersPerWord: options.maxInputCharactersPerWord)
        self.specialTokenSplitter = SpecialTokenSplitter(specialTokens.all)
    }

    /// Loads `vocab.txt`: one token per line, the line number (from 0) is the id.
    ///
    /// - Throws: `TokenizerError.fileNotFound`, `.unreadableFile` or `.invalidFile` naming the file.
    public init(vocabularyFile: URL, options: Options = Options()) throws {
        let text = try readTextFile(vocabularyFile)
        try self.init(tokens: parseVocabularyLines(text), options: options, source: vocabularyFile.path)
    }

    /// Loads `vocab.txt` and, when present, `tokenizer_config.json` from a model folder.
    ///
    /// - Throws: `TokenizerError` naming the file that is missing or invalid.
    public init(folder: URL) throws {
        let configuration = folder.appendingPathComponent("tokenizer_config.json")
        let options = FileManager.default.fileExists(atPath: configuration.path)
            ? try BertTokenizer.options(fromConfiguration: configuration) : Options()
        try self.init(vocabularyFile: folder.appendingPathComponent("vocab.txt"), options: options)
    }

    /// Reads `do_lower_case`, `strip_accents`, `tokenize_chinese_chars` and the special token
    /// names from a `tokenizer_config.json`. Missing keys keep Hugging Face's defaults.
    ///
    /// - Throws: `TokenizerError` when the file is missing, not a JSON object, or a key has the
    ///   wrong type.
    public static func options(fromConfiguration url: URL) throws -> Options {
        let json = try readJSONObject(url)
        var options = Options()

        func flag(_ key: String) throws -> Bool? {
            guard let value = json[key], !(value is NSNull) else { return nil }
            guard let flag = value as? Bool else {
                throw TokenizerError.invalidFile(path: url.path, reason: "\"\(key)\" must be true, false or null")
            }
            return flag
        }
        func tokenName(_ key: String) throws -> String? {
            guard let value = json[key], !(value is NSNull) else { return nil }
            if let name = value as? String {
                return name
            }
            if let object = value as? [String: Any], let name = object["content"] as? String {
                return name
            }
            throw TokenizerError.invalidFile(
                path: url.path, reason: "\"\(key)\" must be a string or an object with \"content\"")
        }

        options.lowercase = try flag("do_lower_case") ?? options.lowercase
        options.stripAccents = try flag("strip_accents")
        options.tokenizeChineseCharacters = try flag("tokenize_chinese_chars") ?? true
        options.unknownToken = try tokenName("unk_token") ?? options.unknownToken
        options.clsToken = try tokenName("cls_token") ?? options.clsToken
        options.sepToken = try tokenName("sep_token") ?? options.sepToken
        options.padToken = try tokenName("pad_token") ?? options.padToken
        options.maskToken = try tokenName("mask_token") ?? options.maskToken
        return options
    }

    // MARK: Tokenizing

    public func tokenize(_ text: String) -> [Subword] {
        var subwords: [Subword] = []
        var wordIndex = 0
        for segment in specialTokenSplitter.split(Array(text.unicodeScalars)) {
            switch segment {
            case .special(let token, let range):
                subwords.append(Subword(id: token.id, token: token.text, offsets: range, wordIndex: wordIndex))
                wordIndex += 1
            case .text(let scalars, let offset):
                var normalized = NormalizedText(scalars, offset: offset)
                normalize(&normalized)
                for word in preTokenize(normalized.scalars) {
                    for piece in wordPiece.split(normalized.scalars[word]) {
                        subwords.append(Subword(
                            id: piece.id, token: piece.token,
                            offsets: normalized.originalRange(of: piece.range), wordIndex: wordIndex))
                    }
                    wordIndex += 1
                }
            }
        }
        return subwords
    }

    public func id(of token: String) -> Int? {
        vocabulary.value(for: token.unicodeScalars)
    }

    public func token(of id: Int) -> String? {
        tokens.indices.contains(id) ? tokens[id] : nil
    }

    // MARK: Pipeline steps

    /// Applies BERT's normalizer: cleaning, CJK spacing, accent stripping and lowercasing.
    func normalize(_ text: inout NormalizedText) {
        text.filter { scalar in
            !(scalar.value == 0 || scalar.value == 0xFFFD || scalar.isBertControl)
        }
        text.map { $0.isBertWhitespace ? " " : $0 }
        if options.tokenizeChineseCharacters && text.scalars.contains(where: \.isCJKIdeograph) {
            text.expand { $0.isCJKIdeograph ? [" ", $0, " "] : [$0] }
        }
        if options.stripsAccents {
            text.normalize(.nfd)
            text.filter { $0.isASCII || $0.properties.generalCategory != .nonspacingMark }
        }
        if options.lowercase {
            text.lowercase()
        }
    }

    /// Splits normalized text into words: whitespace separates words and is dropped, and every
    /// punctuation scalar is a word of its own.
    func preTokenize(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var wordStart: Int?
        for (index, scalar) in scalars.enumerated() {
            if scalar.isUnicodeWhitespace || scalar.isBertPunctuation {
                if let start = wordStart {
                    words.append(start..<index)
                    wordStart = nil
                }
                if !scalar.isUnicodeWhitespace {
                    words.append(index..<(index + 1))
                }
            } else if wordStart == nil {
                wordStart = index
            }
        }
        if let start = wordStart {
            words.append(start..<scalars.count)
        }
        return words
    }
}

/// Splits the text of `vocab.txt` into tokens: one per line, with the line break (`\n` or
/// `\r\n`) removed. A final line break does not start another token.
func parseVocabularyLines(_ text: String) -> [String] {
    // Split on scalars: as Characters, "\r\n" is one grapheme and never equals "\n".
    var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        var scalars = String.UnicodeScalarView(line)
        if scalars.last == "\r" {
            scalars.removeLast()
        }
        return String(scalars)
    }
    if lines.last == "" {
        lines.removeLast()
    }
    return lines
}
