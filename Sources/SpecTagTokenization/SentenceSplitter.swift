// MARK: - Splitting long text into sentences

/// Splits a news body into sentences, returned as Unicode scalar ranges of the text.
///
/// A sentence ends:
/// - after `.`, `!` or `?` when whitespace follows and then an uppercase letter, a digit or an
///   opening quote. Several terminators and closing quotes or brackets may follow the first one.
///   A single period that ends an abbreviation (`Mr.`, `Inc.`, `U.S.`, an initial such as `J.`)
///   does not end the sentence;
/// - at a blank line (a line break, optional spaces, and another line break).
///
/// Ranges leave out the whitespace between sentences, and whitespace-only text yields none.
public struct SentenceSplitter: Sendable {
    /// Abbreviations, without their period, after which a period does not end a sentence.
    public var abbreviations: Set<String>

    public init(abbreviations: Set<String> = newsAbbreviations) {
        self.abbreviations = abbreviations
    }

    /// Returns the sentence ranges of `text` in order.
    public func split(_ text: String) -> [Range<Int>] {
        let scalars = Array(text.unicodeScalars)
        var sentences: [Range<Int>] = []
        var start = 0
        var index = 0
        while index < scalars.count {
            if let breakEnd = blankLineEnd(scalars, at: index) {
                appendTrimmed(start..<index, of: scalars, to: &sentences)
                start = breakEnd
                index = breakEnd
                continue
            }
            if let end = sentenceEnd(scalars, at: index) {
                appendTrimmed(start..<end, of: scalars, to: &sentences)
                start = end
                index = end
                continue
            }
            index += 1
        }
        appendTrimmed(start..<scalars.count, of: scalars, to: &sentences)
        return sentences
    }

    // MARK: Boundaries

    /// If a blank line starts at `index`, returns the offset after it.
    private func blankLineEnd(_ scalars: [Unicode.Scalar], at index: Int) -> Int? {
        guard isLineBreak(scalars[index]) else { return nil }
        var next = index + 1
        if scalars[index] == "\r" && next < scalars.count && scalars[next] == "\n" {
            next += 1
        }
        while next < scalars.count && scalars[next].properties.isWhitespace && !isLineBreak(scalars[next]) {
            next += 1
        }
        guard next < scalars.count, isLineBreak(scalars[next]) else { return nil }
        return next + 1
    }

    /// If a sentence ends with the terminator at `index`, returns the offset after its
    /// terminators and closing punctuation.
    private func sentenceEnd(_ scalars: [Unicode.Scalar], at index: Int) -> Int? {
        guard isTerminator(scalars[index]) else { return nil }
        var end = index + 1
        while end < scalars.count && (isTerminator(scalars[end]) || isClosing(scalars[end])) {
            end += 1
        }
        // Whitespace, then the start of a new sentence.
        var next = end
        while next < scalars.count && scalars[next].properties.isWhitespace {
            next += 1
        }
        guard next > end, next < scalars.count, startsSentence(scalars[next]) else { return nil }

        if scalars[index] == "." && end == index + 1 && followsAbbreviation(scalars, periodAt: index) {
            return nil
        }
        return end
    }

    /// Returns whether the word before the period at `periodAt` is an abbreviation.
    private func followsAbbreviation(_ scalars: [Unicode.Scalar], periodAt: Int) -> Bool {
        var start = periodAt
        while start > 0 && !scalars[start - 1].properties.isWhitespace && !isOpening(scalars[start - 1]) {
            start -= 1
        }
        return isAbbreviation(scalars[start..<periodAt], abbreviations: abbreviations)
    }

    private func appendTrimmed(_ range: Range<Int>, of scalars: [Unicode.Scalar], to sentences: inout [Range<Int>]) {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && scalars[lower].properties.isWhitespace {
            lower += 1
        }
        while upper > lower && scalars[upper - 1].properties.isWhitespace {
            upper -= 1
        }
        if lower < upper {
            sentences.append(lower..<upper)
        }
    }

    // MARK: Character classes

    private func isTerminator(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "." || scalar == "!" || scalar == "?"
    }

    private func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    private func isClosing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", ")", "]", "\u{201D}", "\u{2019}", "\u{00BB}":
            return true
        default:
            return false
        }
    }

    private func isOpening(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "(", "[", "\u{201C}", "\u{2018}", "\u{00AB}":
            return true
        default:
            return false
        }
    }

    private func startsSentence(_ scalar: Unicode.Scalar) -> Bool {
        let category = scalar.properties.generalCategory
        return category == .uppercaseLetter || category == .titlecaseLetter || category == .decimalNumber
            || isOpening(scalar)
    }
}
