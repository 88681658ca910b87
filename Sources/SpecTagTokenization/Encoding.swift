// MARK: - Encoded model input

/// Encoder input for one sequence: special tokens, subwords and padding.
public struct Encoding: Sendable, Equatable {
    /// Vocabulary ids, starting with the CLS token.
    public var ids: [Int]
    /// Token texts, parallel to `ids`.
    public var tokens: [String]
    /// Unicode scalar ranges of the input, parallel to `ids`. Special and padding tokens have
    /// `0..<0`, as in Hugging Face's `offset_mapping`.
    public var offsets: [Range<Int>]
    /// The word each token belongs to, or nil for special and padding tokens.
    public var wordIndices: [Int?]
    /// 1 for real tokens, 0 for padding.
    public var attentionMask: [Int]

    public init(ids: [Int], tokens: [String], offsets: [Range<Int>], wordIndices: [Int?], attentionMask: [Int]) {
        self.ids = ids
        self.tokens = tokens
        self.offsets = offsets
        self.wordIndices = wordIndices
        self.attentionMask = attentionMask
    }

    /// The number of tokens, padding included.
    public var count: Int { ids.count }

    /// Returns, for each word index from 0 to `wordCount - 1`, the position of the word's first
    /// token, or nil when the word has no token in this encoding.
    public func firstTokenPositions(wordCount: Int) -> [Int?] {
        var positions = [Int?](repeating: nil, count: max(0, wordCount))
        for (position, word) in wordIndices.enumerated() {
            if let word, word >= 0, word < positions.count, positions[word] == nil {
                positions[word] = position
            }
        }
        return positions
    }
}

/// The handling of a word that yields no subwords in `encode(words:)`: an empty word, or one made
/// only of characters that normalization removes.
public enum EmptyWordPolicy: Sendable {
    /// The word gets no token, as in Hugging Face with `is_split_into_words=True`.
    case dropped
    /// The word becomes one unknown token covering the whole word, as the spectag model format
    /// requires so that every word has a state.
    case unknownToken
}

// MARK: - Encoding text and words

extension SubwordTokenizer {
    /// Encodes text as `[CLS] subwords [SEP]` (or `<s> … </s>`), optionally truncated and padded.
    ///
    /// - Parameters:
    ///   - maxLength: the maximum number of tokens including the two special tokens. Subwords past
    ///     `maxLength - 2` are dropped, as Hugging Face's `truncation=True` does.
    ///   - padTo: pads with the padding token (mask 0) up to this many tokens. A longer encoding
    ///     is not shortened.
    /// - Throws: `TokenizerError.invalidArgument` when `maxLength` is less than 2 or `padTo` is
    ///   negative.
    public func encode(_ text: String, maxLength: Int? = nil, padTo: Int? = nil) throws -> Encoding {
        try assemble(tokenize(text), maxLength: maxLength, padTo: padTo)
    }

    /// Encodes pre-split words: each word is tokenized on its own, and each token's word index is
    /// the position of its word in `words`.
    ///
    /// Offsets are relative to each word, as Hugging Face gives them for
    /// `is_split_into_words=True`, unless `wordStarts` gives each word's scalar offset in the
    /// source text. Then they are offsets into that text.
    ///
    /// - Throws: `TokenizerError.invalidArgument` when `wordStarts` has a different count than
    ///   `words`, `maxLength` is less than 2 or `padTo` is negative.
    public func encode(
        words: [String], wordStarts: [Int]? = nil, emptyWords: EmptyWordPolicy = .unknownToken,
        maxLength: Int? = nil, padTo: Int? = nil
    ) throws -> Encoding {
        let subwords = try tokenize(words: words, wordStarts: wordStarts, emptyWords: emptyWords)
        return try assemble(subwords.flatMap { $0 }, maxLength: maxLength, padTo: padTo)
    }

    /// Encodes pre-split words in consecutive chunks of whole words, each with its own special
    /// tokens and at most `maxLength` tokens. Word indices stay those of `words`.
    ///
    /// NOTE: A single word with more than `maxLength - 2` subwords is cut to that many, so only
    /// its first subwords reach the encoder.
    ///
    /// - Throws: `TokenizerError.invalidArgument` for a `maxLength` below 3 or mismatched
    ///   `wordStarts`.
    public func encodeInChunks(
        words: [String], wordStarts: [Int]? = nil, emptyWords: EmptyWordPolicy = .unknownToken,
        maxLength: Int
    ) throws -> [Encoding] {
        guard maxLength >= 3 else {
            throw TokenizerError.invalidArgument("maxLength must be at least 3 to hold one subword, got \(maxLength)")
        }
        let capacity = maxLength - 2
        let subwordsPerWord = try tokenize(words: words, wordStarts: wordStarts, emptyWords: emptyWords)

        var chunks: [[Subword]] = []
        var current: [Subword] = []
        for wordSubwords in subwordsPerWord {
            let kept = wordSubwords.prefix(capacity)
            if current.count + kept.count > capacity && !current.isEmpty {
                chunks.append(current)
                current = []
            }
            current.append(contentsOf: kept)
        }
        if !current.isEmpty || chunks.isEmpty {
            chunks.append(current)
        }
        return try chunks.map { try assemble($0, maxLength: nil, padTo: nil) }
    }

    // MARK: Helpers

    /// Tokenizes each word alone and renumbers word indices to word positions.
    private func tokenize(
        words: [String], wordStarts: [Int]?, emptyWords: EmptyWordPolicy
    ) throws -> [[Subword]] {
        if let wordStarts, wordStarts.count != words.count {
            throw TokenizerError.invalidArgument(
                "wordStarts has \(wordStarts.count) entries but there are \(words.count) words")
        }
        var result: [[Subword]] = []
        result.reserveCapacity(words.count)
        for (index, word) in words.enumerated() {
            let shift = wordStarts?[index] ?? 0
            var subwords = tokenizeWord(word).map { subword in
                var moved = subword
                moved.wordIndex = index
                moved.offsets = (subword.offsets.lowerBound + shift)..<(subword.offsets.upperBound + shift)
                return moved
            }
            if subwords.isEmpty && emptyWords == .unknownToken {
                let unknown = specialTokens.unk
                let length = word.unicodeScalars.count
                subwords = [Subword(id: unknown.id, token: unknown.text, offsets: shift..<(shift + length), wordIndex: index)]
            }
            result.append(subwords)
        }
        return result
    }

    /// Adds the special tokens around `subwords`, then truncates and pads.
    private func assemble(_ subwords: [Subword], maxLength: Int?, padTo: Int?) throws -> Encoding {
        if let maxLength, maxLength < 2 {
            throw TokenizerError.invalidArgument("maxLength must be at least 2 to hold the special tokens, got \(maxLength)")
        }
        if let padTo, padTo < 0 {
            throw TokenizerError.invalidArgument("padTo must not be negative, got \(padTo)")
        }
        let kept = maxLength.map { subwords.prefix($0 - 2) } ?? subwords[...]
        let cls = specialTokens.cls
        let sep = specialTokens.sep
        var encoding = Encoding(
            ids: [cls.id], tokens: [cls.text], offsets: [0..<0], wordIndices: [nil], attentionMask: [1])
        for subword in kept {
            encoding.ids.append(subword.id)
            encoding.tokens.append(subword.token)
            encoding.offsets.append(subword.offsets)
            encoding.wordIndices.append(subword.wordIndex)
            encoding.attentionMask.append(1)
        }
        encoding.ids.append(sep.id)
        encoding.tokens.append(sep.text)
        encoding.offsets.append(0..<0)
        encoding.wordIndices.append(nil)
        encoding.attentionMask.append(1)

        let pad = specialTokens.pad
        while let padTo, encoding.count < padTo {
            encoding.ids.append(pad.id)
            encoding.tokens.append(pad.text)
            encoding.offsets.append(0..<0)
            encoding.wordIndices.append(nil)
            encoding.attentionMask.append(0)
        }
        return encoding
    }
}
