// MARK: - Splitting raw text into words

/// A word of raw text and its position.
public struct WordSpan: Sendable, Hashable {
    /// The word as it appears in the text.
    public var text: String
    /// The Unicode scalar range of the word in the text.
    public var range: Range<Int>

    public init(text: String, range: Range<Int>) {
        self.text = text
        self.range = range
    }
}

/// Splits raw news text into words in the style of CoNLL-2003 (Penn Treebank conventions), so
/// that the tagger gets the same kind of words it was trained on.
///
/// Rules, applied to each whitespace-separated chunk:
/// - Letters and digits form words. `-`, `&`, `.`, `'` and `’` between two letters or digits
///   stay inside the word (`Coca-Cola`, `S&P`, `Amazon.com`, `O'Neill`), and so do `,` and `.`
///   between two digits (`1,200.50`).
/// - A final period stays on an abbreviation (`Inc.`, `Corp.`, `Mr.`, a single capital such as
///   `J.`, or letters joined by periods such as `U.S.`) and is its own word otherwise.
/// - Clitics become their own words: `n't` (`don't` → `do` `n't`), and `'s`, `'re`, `'ve`, `'ll`,
///   `'d`, `'m` (`Apple's` → `Apple` `'s`), with straight or curly apostrophes.
/// - Every other character is a word of its own (`$`, `%`, `(`, curly quotes, `—`, emoji),
///   except that a run of `.` or `-` stays together (`...`, `--`).
public struct WordSplitter: Sendable {
    /// Abbreviations, without their period, that keep a final period.
    public var abbreviations: Set<String>

    public init(abbreviations: Set<String> = newsAbbreviations) {
        self.abbreviations = abbreviations
    }

    /// Splits `text` into words with their Unicode scalar ranges, in text order.
    public func split(_ text: String) -> [WordSpan] {
        let scalars = Array(text.unicodeScalars)
        let boundaries = graphemeBoundaries(text, scalarCount: scalars.count)
        var words: [WordSpan] = []
        var index = 0
        while index < scalars.count {
            if scalars[index].properties.isWhitespace {
                index += 1
                continue
            }
            var end = index
            while end < scalars.count && !scalars[end].properties.isWhitespace {
                end += 1
            }
            splitChunk(scalars, index..<end, boundaries: boundaries, into: &words)
            index = end
        }
        return words
    }

    // MARK: Chunks

    /// Splits one whitespace-free chunk.
    private func splitChunk(
        _ scalars: [Unicode.Scalar], _ chunk: Range<Int>, boundaries: [Bool], into words: inout [WordSpan]
    ) {
        var index = chunk.lowerBound
        while index < chunk.upperBound {
            let scalar = scalars[index]
            if isWordScalar(scalar) {
                var end = wordEnd(scalars, from: index, limit: chunk.upperBound)
                if end < chunk.upperBound && scalars[end] == "."
                    && isAbbreviation(scalars[index..<end], abbreviations: abbreviations)
                {
                    end += 1
                }
                appendSplittingClitics(scalars, index..<end, into: &words)
                index = end
            } else {
                var end = index + 1
                if scalar == "." || scalar == "-" {
                    while end < chunk.upperBound && scalars[end] == scalar {
                        end += 1
                    }
                } else {
                    // A symbol is one grapheme cluster, so emoji sequences and flags stay whole.
                    while end < chunk.upperBound && !boundaries[end] {
                        end += 1
                    }
                }
                words.append(span(scalars, index..<end))
                index = end
            }
        }
    }

    /// Returns the end of the word that starts at `start`: letters, digits and marks, plus
    /// connectors that sit between two of them.
    private func wordEnd(_ scalars: [Unicode.Scalar], from start: Int, limit: Int) -> Int {
        var end = start
        while end < limit {
            let scalar = scalars[end]
            if isWordScalar(scalar) {
                end += 1
                continue
            }
            guard end > start, end + 1 < limit, isWordScalar(scalars[end + 1]) else { break }
            let before = scalars[end - 1]
            let after = scalars[end + 1]
            let joins: Bool
            switch scalar {
            case "-", "&", ".", "'", "\u{2019}":
                joins = true
            case ",":
                joins = before.properties.numericType == .decimal && after.properties.numericType == .decimal
            default:
                joins = false
            }
            guard joins else { break }
            end += 2
        }
        return end
    }

    /// Appends the word in `range`, split before a clitic such as `n't` or `'s`.
    private func appendSplittingClitics(_ scalars: [Unicode.Scalar], _ range: Range<Int>, into words: inout [WordSpan]) {
        guard scalars[range].contains(where: { $0 == "'" || $0 == "\u{2019}" }) else {
            words.append(span(scalars, range))
            return
        }
        let lowered = scalars[range].map { $0 == "\u{2019}" ? "'" : Character($0).lowercased() }.joined()
        let count = range.count
        if count > 3 && lowered.hasSuffix("n't") {
            let split = range.upperBound - 3
            words.append(span(scalars, range.lowerBound..<split))
            words.append(span(scalars, split..<range.upperBound))
            return
        }
        if let apostrophe = scalars[range].lastIndex(where: { $0 == "'" || $0 == "\u{2019}" }),
            apostrophe > range.lowerBound
        {
            let suffix = scalars[(apostrophe + 1)..<range.upperBound].map { Character($0).lowercased() }.joined()
            if ["s", "re", "ve", "ll", "d", "m"].contains(suffix) {
                words.append(span(scalars, range.lowerBound..<apostrophe))
                words.append(span(scalars, apostrophe..<range.upperBound))
                return
            }
        }
        words.append(span(scalars, range))
    }

    // MARK: Helpers

    private func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
        }
        let properties = scalar.properties
        if properties.isAlphabetic {
            return true
        }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    /// Returns, for every scalar offset from 0 through `scalarCount`, whether a grapheme cluster
    /// starts there (the end of the text counts as a start).
    private func graphemeBoundaries(_ text: String, scalarCount: Int) -> [Bool] {
        var boundaries = [Bool](repeating: false, count: scalarCount + 1)
        var offset = 0
        for character in text {
            boundaries[offset] = true
            offset += character.unicodeScalars.count
        }
        boundaries[scalarCount] = true
        return boundaries
    }

    private func span(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> WordSpan {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return WordSpan(text: String(view), range: range)
    }
}
