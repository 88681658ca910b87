import Foundation

// MARK: - SentencePiece Unigram tokenizer

/// A SentencePiece Unigram tokenizer read from a Hugging Face `tokenizer.json`, as XLM-R and
/// models that share its vocabulary (multilingual-e5-small) use. Ids, tokens, offsets and word
/// indices equal those of the `tokenizers` library.
///
/// The pipeline, in order:
/// 1. Special tokens (`added_tokens` with `special: true`) written verbatim in the text are
///    matched first and kept whole.
/// 2. The normalizer runs: `Sequence` of `NFC`, `NFD`, `NFKC`, `NFKD`, `Precompiled`,
///    `Lowercase`, `Strip` and `Replace`.
/// 3. The `Metaspace` pre-tokenizer turns spaces into `▁`, prepends `▁` and splits before each `▁`.
/// 4. Each pre-token is segmented by the Viterbi path over the piece scores.
///
/// For a piece that is not in the vocabulary, `Subword.token` is the surface text it covers,
/// as in `tokenizers`, and the id is the unknown piece's (or its `<0xXX>` byte pieces' when the
/// model has `byte_fallback`).
public struct UnigramTokenizer: SubwordTokenizer {
    public let specialTokens: SpecialTokens
    public var vocabularySize: Int { model.pieces.count }

    private let model: UnigramModel
    private let normalizer: [NormalizerStep]
    private let metaspace: Metaspace
    private let addedTokens: [SpecialToken]
    private let specialTokenSplitter: SpecialTokenSplitter

    init(
        model: UnigramModel, normalizer: [NormalizerStep], metaspace: Metaspace,
        addedTokens: [SpecialToken], specialTokens: SpecialTokens
    ) {
        self.model = model
        self.normalizer = normalizer
        self.metaspace = metaspace
        self.addedTokens = addedTokens
        self.specialTokens = specialTokens
        self.specialTokenSplitter = SpecialTokenSplitter(addedTokens)
    }

    /// Loads a `tokenizer.json` with a `Unigram` model and a `Metaspace` pre-tokenizer.
    ///
    /// - Throws: `TokenizerError.fileNotFound` or `.unreadableFile` when the file cannot be read,
    ///   `.invalidFile` when a required key is missing or has the wrong type, and
    ///   `.unsupportedComponent` for a model, normalizer or pre-tokenizer type this
    ///   implementation does not have. Every error names the file.
    public init(tokenizerJSON url: URL) throws {
        let json = try readJSONObject(url)
        self = try TokenizerJSONReader(json: json, path: url.path).unigramTokenizer()
    }

    /// Loads `tokenizer.json` from a model folder.
    ///
    /// - Throws: the errors of `init(tokenizerJSON:)`.
    public init(folder: URL) throws {
        try self.init(tokenizerJSON: folder.appendingPathComponent("tokenizer.json"))
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
                for step in normalizer {
                    step.apply(to: &normalized)
                }
                for preToken in metaspace.preTokenize(normalized, inputOffset: offset) {
                    for piece in model.tokenize(preToken.scalars[...]) {
                        subwords.append(Subword(
                            id: piece.id, token: piece.token,
                            offsets: preToken.originalRange(of: piece.range), wordIndex: wordIndex))
                    }
                    wordIndex += 1
                }
            }
        }
        return subwords
    }

    public func id(of token: String) -> Int? {
        if let added = addedTokens.first(where: { $0.text.unicodeScalars.elementsEqual(token.unicodeScalars) }) {
            return added.id
        }
        return model.id(of: token.unicodeScalars)
    }

    public func token(of id: Int) -> String? {
        if model.pieces.indices.contains(id) {
            return model.pieces[id]
        }
        return addedTokens.first(where: { $0.id == id })?.text
    }
}
