// MARK: - Unigram language model segmentation

/// SentencePiece Unigram segmentation: the Viterbi path through all vocabulary pieces that
/// maximizes the sum of piece scores, as the `tokenizers` library computes it.
///
/// A position where no single-character piece exists gets the unknown piece with score
/// `minScore - 10`, and consecutive unknown pieces on the best path merge into one token.
struct UnigramModel: Sendable {
    /// The penalty of an unknown character relative to the lowest piece score (`tokenizers` and
    /// SentencePiece use 10).
    static let unknownPenalty = 10.0

    let pieces: [String]
    let scores: [Double]
    let unknownID: Int
    let byteFallback: Bool
    private let trie: ScalarTrie
    private let unknownScore: Double

    init(pieces: [String], scores: [Double], unknownID: Int, byteFallback: Bool) {
        var trie = ScalarTrie()
        for (id, piece) in pieces.enumerated() {
            trie.insert(piece.unicodeScalars, value: id)
        }
        self.pieces = pieces
        self.scores = scores
        self.unknownID = unknownID
        self.byteFallback = byteFallback
        self.trie = trie
        self.unknownScore = (scores.min() ?? 0) - UnigramModel.unknownPenalty
    }

    /// Returns the id of the piece spelled exactly like `scalars`.
    func id<S: Sequence>(of scalars: S) -> Int? where S.Element == Unicode.Scalar {
        trie.value(for: scalars)
    }

    /// Segments one pre-token. Returns (id, token text, range in `text`'s indices) in order.
    func tokenize(_ text: ArraySlice<Unicode.Scalar>) -> [(id: Int, token: String, range: Range<Int>)] {
        let base = text.startIndex
        let count = text.count
        guard count > 0 else { return [] }

        // bestScore[end], bestStart[end] and bestID[end] describe the best path ending at `end`.
        var bestScore = [Double](repeating: 0, count: count + 1)
        var bestStart = [Int](repeating: -1, count: count + 1)
        var bestID = [Int](repeating: 0, count: count + 1)

        for start in 0..<count {
            let scoreSoFar = bestScore[start]
            var hasSingleCharacterPiece = false
            trie.forEachPrefix(of: text, from: base + start) { length, id in
                let end = start + length
                let candidate = scores[id] + scoreSoFar
                if bestStart[end] < 0 || candidate > bestScore[end] {
                    bestScore[end] = candidate
                    bestStart[end] = start
                    bestID[end] = id
                }
                if length == 1 {
                    hasSingleCharacterPiece = true
                }
            }
            if !hasSingleCharacterPiece {
                let end = start + 1
                let candidate = unknownScore + scoreSoFar
                if bestStart[end] < 0 || candidate > bestScore[end] {
                    bestScore[end] = candidate
                    bestStart[end] = start
                    bestID[end] = unknownID
                }
            }
        }

        // Walk back from the end, merging runs of unknown pieces.
        var path: [(range: Range<Int>, id: Int)] = []
        var end = count
        while end > 0 {
            let start = bestStart[end]
            let id = bestID[end]
            if id == unknownID, let last = path.last, last.id == unknownID {
                path[path.count - 1].range = start..<last.range.upperBound
            } else {
                path.append((start..<end, id))
            }
            end = start
        }
        path.reverse()

        var result: [(id: Int, token: String, range: Range<Int>)] = []
        result.reserveCapacity(path.count)
        for (range, id) in path {
            let absolute = (base + range.lowerBound)..<(base + range.upperBound)
            guard id == unknownID else {
                result.append((id, pieces[id], absolute))
                continue
            }
            // Like `tokenizers`, look the fused surface text up again: it may still be a piece.
            var surface = String.UnicodeScalarView()
            surface.append(contentsOf: text[absolute])
            let token = String(surface)
            if let known = trie.value(for: text[absolute]) {
                result.append((known, token, absolute))
            } else if byteFallback, let bytes = byteFallbackPieces(for: token) {
                result.append(contentsOf: bytes.map { ($0.id, $0.token, absolute) })
            } else {
                result.append((unknownID, token, absolute))
            }
        }
        return result
    }

    /// Returns the `<0xXX>` pieces of every UTF-8 byte of `text`, or nil if one is missing.
    private func byteFallbackPieces(for text: String) -> [(id: Int, token: String)]? {
        var result: [(id: Int, token: String)] = []
        for byte in text.utf8 {
            let hex = String(byte, radix: 16, uppercase: true)
            let piece = "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
            guard let id = trie.value(for: piece.unicodeScalars) else { return nil }
            result.append((id, piece))
        }
        return result
    }
}
