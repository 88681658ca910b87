// MARK: - Splitting on special tokens

/// A piece of input text between or at special tokens.
enum TextSegment {
    /// Ordinary text at scalar `offset` of the input.
    case text(ArraySlice<Unicode.Scalar>, offset: Int)
    /// A verbatim special token covering `range` of the input.
    case special(SpecialToken, range: Range<Int>)
}

/// Finds special tokens written verbatim in input text (`[MASK]`, `</s>`), as the added-token
/// matching of Hugging Face tokenizers does before normalization: leftmost match first, the
/// longest token when several start at the same scalar.
struct SpecialTokenSplitter: Sendable {
    private let tokens: [(scalars: [Unicode.Scalar], token: SpecialToken)]

    init(_ specialTokens: [SpecialToken]) {
        tokens = specialTokens
            .map { (Array($0.text.unicodeScalars), $0) }
            .filter { !$0.0.isEmpty }
            .sorted { $0.0.count > $1.0.count }
    }

    /// Splits `scalars` into text and special-token segments, in input order. Empty text
    /// segments are left out.
    func split(_ scalars: [Unicode.Scalar]) -> [TextSegment] {
        var segments: [TextSegment] = []
        var textStart = 0
        var index = 0
        while index < scalars.count {
            guard let match = longestToken(in: scalars, at: index) else {
                index += 1
                continue
            }
            if textStart < index {
                segments.append(.text(scalars[textStart..<index], offset: textStart))
            }
            let end = index + match.scalars.count
            segments.append(.special(match.token, range: index..<end))
            index = end
            textStart = end
        }
        if textStart < scalars.count {
            segments.append(.text(scalars[textStart..<scalars.count], offset: textStart))
        }
        return segments
    }

    private func longestToken(
        in scalars: [Unicode.Scalar], at index: Int
    ) -> (scalars: [Unicode.Scalar], token: SpecialToken)? {
        for candidate in tokens where candidate.scalars[0] == scalars[index] {
            let end = index + candidate.scalars.count
            if end <= scalars.count && scalars[index..<end].elementsEqual(candidate.scalars) {
                return candidate
            }
        }
        return nil
    }
}
