// MARK: - WordPiece

/// Greedy longest-match-first WordPiece segmentation, as in BERT.
struct WordPiece: Sendable {
    /// Word-initial vocabulary entries.
    private let initialPieces: ScalarTrie
    /// Continuation entries (`##ing`), stored without their prefix.
    private let continuationPieces: ScalarTrie
    private let tokens: [String]
    let unknownToken: SpecialToken
    /// Words longer than this many scalars become the unknown token (Hugging Face default: 100).
    let maxInputCharactersPerWord: Int

    /// Creates the segmenter. `tokens[id]` is the vocabulary entry with that id.
    init(tokens: [String], unknownToken: SpecialToken, maxInputCharactersPerWord: Int = 100,
         continuingSubwordPrefix: String = "##")
    {
        let prefix = Array(continuingSubwordPrefix.unicodeScalars)
        var initial = ScalarTrie()
        var continuation = ScalarTrie()
        for (id, token) in tokens.enumerated() {
            let scalars = Array(token.unicodeScalars)
            initial.insert(scalars, value: id)
            if scalars.count > prefix.count && scalars.starts(with: prefix) {
                continuation.insert(scalars[prefix.count...], value: id)
            }
        }
        self.initialPieces = initial
        self.continuationPieces = continuation
        self.tokens = tokens
        self.unknownToken = unknownToken
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
    }

    /// Splits one normalized word into pieces, returned as (id, token, range in `word`'s indices).
    ///
    /// At each position the longest vocabulary entry that matches is taken, with the `##` prefix
    /// after the first piece. When some position has no match, or the word is longer than
    /// `maxInputCharactersPerWord` scalars, the whole word becomes one unknown token.
    func split(_ word: ArraySlice<Unicode.Scalar>) -> [(id: Int, token: String, range: Range<Int>)] {
        guard !word.isEmpty else { return [] }
        let unknown = [(unknownToken.id, unknownToken.text, word.indices)]
        if word.count > maxInputCharactersPerWord {
            return unknown
        }

        var pieces: [(id: Int, token: String, range: Range<Int>)] = []
        var start = word.startIndex
        while start < word.endIndex {
            let trie = start == word.startIndex ? initialPieces : continuationPieces
            guard let match = trie.longestPrefix(of: word, from: start) else {
                return unknown
            }
            pieces.append((match.value, tokens[match.value], start..<(start + match.length)))
            start += match.length
        }
        return pieces
    }
}
