// MARK: - Subwords

/// One subword produced by a tokenizer, before special tokens are added.
public struct Subword: Sendable, Hashable {
    /// The vocabulary id.
    public var id: Int
    /// The token text as the vocabulary spells it (`##ing`, `▁the`, `[UNK]`).
    ///
    /// For a Unigram piece that is not in the vocabulary this is the surface text it covers, as
    /// the Hugging Face `tokenizers` library reports it, while `id` is the unknown token's id.
    public var token: String
    /// The Unicode scalar (code point) range of the input string that the subword covers. These are
    /// the numbers Python's `offset_mapping` gives.
    public var offsets: Range<Int>
    /// The index of the pre-tokenized word that contains the subword, counted from 0 in the input.
    public var wordIndex: Int

    public init(id: Int, token: String, offsets: Range<Int>, wordIndex: Int) {
        self.id = id
        self.token = token
        self.offsets = offsets
        self.wordIndex = wordIndex
    }
}

// MARK: - Special tokens

/// A special token's text and vocabulary id.
public struct SpecialToken: Sendable, Hashable {
    public var text: String
    public var id: Int

    public init(text: String, id: Int) {
        self.text = text
        self.id = id
    }
}

/// The special tokens that the encoder adds: `[CLS]`/`[SEP]` for BERT, `<s>`/`</s>` for XLM-R.
public struct SpecialTokens: Sendable, Hashable {
    /// The token placed before the subwords (`[CLS]` or `<s>`).
    public var cls: SpecialToken
    /// The token placed after the subwords (`[SEP]` or `</s>`).
    public var sep: SpecialToken
    /// The token used for padding.
    public var pad: SpecialToken
    /// The token for text the vocabulary cannot represent.
    public var unk: SpecialToken
    /// The start-of-sequence token, where the vocabulary defines one.
    public var bos: SpecialToken?
    /// The end-of-sequence token, where the vocabulary defines one.
    public var eos: SpecialToken?
    /// The masked-language-model token, where the vocabulary defines one.
    public var mask: SpecialToken?

    public init(
        cls: SpecialToken, sep: SpecialToken, pad: SpecialToken, unk: SpecialToken,
        bos: SpecialToken? = nil, eos: SpecialToken? = nil, mask: SpecialToken? = nil
    ) {
        self.cls = cls
        self.sep = sep
        self.pad = pad
        self.unk = unk
        self.bos = bos
        self.eos = eos
        self.mask = mask
    }

    /// All distinct special tokens, the ones the tokenizer matches verbatim in input text.
    public var all: [SpecialToken] {
        var result: [SpecialToken] = []
        for token in [cls, sep, pad, unk, bos, eos, mask].compactMap({ $0 })
        where !result.contains(token) {
            result.append(token)
        }
        return result
    }
}

// MARK: - Tokenizer protocol

/// A subword tokenizer with the same output as its Hugging Face counterpart.
///
/// Implementations are immutable values, so one instance can serve many threads.
public protocol SubwordTokenizer: Sendable {
    /// The number of entries in the vocabulary.
    var vocabularySize: Int { get }
    /// The special tokens that `encode` adds.
    var specialTokens: SpecialTokens { get }

    /// Splits `text` into subwords, without special tokens.
    ///
    /// Offsets are Unicode scalar offsets into `text`, and word indices count the words that the
    /// pre-tokenizer produced. A special token's text (`[MASK]`, `<s>`) in the input becomes that
    /// token, as in Hugging Face tokenizers.
    func tokenize(_ text: String) -> [Subword]

    /// Splits one pre-split word into subwords, the way Hugging Face does for
    /// `is_split_into_words=True`: the word goes through the whole pipeline on its own.
    ///
    /// Offsets are relative to `word`. The result can be empty (an empty word, or one made only of
    /// characters that normalization removes).
    func tokenizeWord(_ word: String) -> [Subword]

    /// Returns the id of `token`, or nil when the vocabulary does not contain it.
    func id(of token: String) -> Int?

    /// Returns the token with vocabulary id `id`, or nil when `id` is out of range.
    func token(of id: Int) -> String?
}

extension SubwordTokenizer {
    public func tokenizeWord(_ word: String) -> [Subword] {
        tokenize(word)
    }
}
