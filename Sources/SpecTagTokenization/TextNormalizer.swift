import Foundation

// MARK: - tokenizer.json normalizers

/// One step of a `tokenizer.json` normalizer, applied with `tokenizers`' alignment rules.
enum NormalizerStep: Sendable {
    /// `NFC`, `NFD`, `NFKC`, `NFKD`, and `Precompiled` approximated as NFKC.
    case unicode(NormalizationForm)
    /// `Lowercase`: full Unicode lowercase mapping of every scalar.
    case lowercase
    /// `Strip`: removes leading and/or trailing whitespace.
    case strip(leading: Bool, trailing: Bool)
    /// `Replace`: replaces every match of a pattern with `content`.
    case replace(ReplacePattern, content: [Unicode.Scalar])

    func apply(to text: inout NormalizedText) {
        switch self {
        case .unicode(let form):
            text.normalize(form)
        case .lowercase:
            text.lowercase()
        case .strip(let leading, let trailing):
            text.strip(leading: leading, trailing: trailing)
        case .replace(let pattern, let content):
            text.replace(matches: pattern.matches(in: text.scalars), with: content)
        }
    }
}

/// The pattern of a `Replace` normalizer: a literal string or a regular expression.
enum ReplacePattern: Sendable {
    case literal([Unicode.Scalar])
    case regularExpression(RegularExpressionBox)

    /// Returns the non-empty, non-overlapping matches in `scalars`, left to right, as scalar ranges.
    func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        switch self {
        case .literal(let needle):
            return literalMatches(of: needle, in: scalars)
        case .regularExpression(let box):
            return box.matches(in: scalars)
        }
    }

    private func literalMatches(of needle: [Unicode.Scalar], in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        guard let first = needle.first, needle.count <= scalars.count else { return [] }
        var result: [Range<Int>] = []
        var index = 0
        while index + needle.count <= scalars.count {
            if scalars[index] == first && scalars[index..<(index + needle.count)].elementsEqual(needle) {
                result.append(index..<(index + needle.count))
                index += needle.count
            } else {
                index += 1
            }
        }
        return result
    }
}

/// A compiled regular expression that matches on Unicode scalars.
///
/// `Regex` has no `Sendable` conformance on every platform, and the box never mutates it, so it
/// is shared across threads as an unchecked `Sendable`.
final class RegularExpressionBox: @unchecked Sendable {
    let pattern: String
    private let regex: Regex<AnyRegexOutput>

    /// - Throws: the `Regex` parser's error when `pattern` is not a valid regular expression.
    init(pattern: String) throws {
        self.pattern = pattern
        self.regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
    }

    /// Returns the non-empty matches in `scalars` as scalar ranges.
    ///
    /// NOTE: `tokenizers` uses the Oniguruma engine and Swift `Regex` has its own syntax. The two
    /// agree on the simple patterns in XLM-R style files (such as ` {2,}`) but may differ on
    /// advanced constructs.
    func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        let text = String(view)
        var result: [Range<Int>] = []
        var lastIndex = text.unicodeScalars.startIndex
        var lastOffset = 0
        for match in text.matches(of: regex) where !match.range.isEmpty {
            let lower = lastOffset + text.unicodeScalars.distance(from: lastIndex, to: match.range.lowerBound)
            let upper = lower + text.unicodeScalars.distance(from: match.range.lowerBound, to: match.range.upperBound)
            result.append(lower..<upper)
            lastIndex = match.range.upperBound
            lastOffset = upper
        }
        return result
    }
}

// MARK: - Metaspace pre-tokenizer

/// The `Metaspace` pre-tokenizer of SentencePiece models: spaces become `▁` (U+2581), a `▁` is
/// put in front of the text according to the prepend scheme, and the text is split before
/// every `▁`.
struct Metaspace: Sendable {
    enum PrependScheme: String, Sendable {
        /// Prepend to every text that does not start with the replacement.
        case always
        /// Prepend only to the text that starts at offset 0 of the input.
        case first
        case never
    }

    var replacement: Unicode.Scalar = "\u{2581}"
    var prependScheme: PrependScheme = .always
    var split = true

    /// Returns the pre-tokens of `text`, which starts at scalar `inputOffset` of the whole input.
    func preTokenize(_ text: NormalizedText, inputOffset: Int) -> [NormalizedText] {
        var text = text
        text.replace(" ", with: replacement)
        let startsWithReplacement = text.scalars.first == replacement
        switch prependScheme {
        case .always where !startsWithReplacement:
            text.prepend(replacement)
        case .first where !startsWithReplacement && inputOffset == 0:
            text.prepend(replacement)
        default:
            break
        }
        guard split else { return text.isEmpty ? [] : [text] }

        var pieces: [NormalizedText] = []
        var pieceStart = 0
        for index in text.scalars.indices where index > pieceStart && text.scalars[index] == replacement {
            pieces.append(text.slice(pieceStart..<index))
            pieceStart = index
        }
        if pieceStart < text.count {
            pieces.append(text.slice(pieceStart..<text.count))
        }
        return pieces
    }
}
