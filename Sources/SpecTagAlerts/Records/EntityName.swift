import Foundation

// MARK: - Entity name normalisation

/// The normalised form of an entity mention, used as the Kafka key and state key of an
/// entity (`entity_key` in entity-sentiment and alert records).
///
/// The tagging service and the alert stage both call ``normalize(_:)``, so every mention of
/// one company lands in one partition and one window state.
public enum EntityName {
    /// Trailing words that name a legal form and are removed from the end of a name.
    public static let corporateSuffixes: Set<String> = [
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "plc", "llc",
        "ag", "sa", "se", "nv", "oyj", "ab", "asa", "group", "holdings",
    ]

    /// Returns the normalised key of an entity mention.
    ///
    /// The steps, in order:
    /// 1. Unicode NFKC, then lowercase.
    /// 2. Curly apostrophes (U+2018, U+2019, U+02BC) become `'`, and the hyphens U+2010 and
    ///    U+2011 become `-`.
    /// 3. A trailing possessive `'s` is removed: `Apple's` becomes `apple`.
    /// 4. Dots of a dotted abbreviation are dropped, so `S.A.` becomes `sa` and `U.S.` becomes
    ///    `us`. Such a dot follows a single letter and precedes a letter.
    /// 5. Every other punctuation, symbol, control or format character becomes a space,
    ///    except `&` and a `-` between two letters or digits.
    /// 6. Runs of whitespace become one space, and leading and trailing spaces are removed.
    /// 7. Words of ``corporateSuffixes`` are removed from the end, repeatedly, as long as at
    ///    least one word remains: `Coca-Cola Co` becomes `coca-cola`, `Group` stays `group`.
    ///
    /// For example `Apple Inc.`, `APPLE` and `Apple's` all become `apple`, `AT&T Inc.`
    /// becomes `at&t` and `Nokia Oyj` becomes `nokia`.
    ///
    /// - Returns: the key, or an empty string when the text has no letter, digit or `&`.
    ///   Callers must treat an empty key as an invalid mention.
    public static func normalize(_ text: String) -> String {
        let folded = foldApostrophesAndHyphens(text.precomposedStringWithCompatibilityMapping.lowercased())
        let withoutPossessive = removePossessive(folded)
        let words = replacePunctuation(in: Array(withoutPossessive.unicodeScalars))
            .split(separator: " ")
            .map(String.init)
        return removeCorporateSuffixes(from: words).joined(separator: " ")
    }

    // MARK: Steps

    private static func foldApostrophesAndHyphens(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{2018}", "\u{2019}", "\u{02BC}": scalars.append("'")
            case "\u{2010}", "\u{2011}": scalars.append("-")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    private static func removePossessive(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasSuffix("'s"), trimmed.count > 2 else { return trimmed }
        return String(trimmed.dropLast(2))
    }

    /// Applies steps 4 to 6 and returns the text with single spaces between words.
    private static func replacePunctuation(in scalars: [Unicode.Scalar]) -> String {
        var output = String.UnicodeScalarView()
        for index in scalars.indices {
            let scalar = scalars[index]
            let previous = index > scalars.startIndex ? scalars[index - 1] : nil
            let next = index + 1 < scalars.endIndex ? scalars[index + 1] : nil

            if isWordCharacter(scalar) || scalar == "&" {
                output.append(scalar)
            } else if scalar == "-", let previous, let next, isWordCharacter(previous), isWordCharacter(next) {
                output.append(scalar)
            } else if scalar == ".", isAbbreviationDot(at: index, in: scalars) {
                continue
            } else {
                output.append(" ")
            }
        }
        return String(output)
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
    }

    /// Returns whether the dot at `index` follows a single letter and precedes a letter.
    private static func isAbbreviationDot(at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        guard index >= 1, index + 1 < scalars.count,
              scalars[index - 1].properties.isAlphabetic, scalars[index + 1].properties.isAlphabetic
        else { return false }
        // The letter before the dot must stand alone: at the start, or after a character that
        // is not a letter or digit, such as a space or another dot.
        guard index >= 2 else { return true }
        let beforeLetter = scalars[index - 2]
        return !isWordCharacter(beforeLetter)
    }

    private static func removeCorporateSuffixes(from words: [String]) -> [String] {
        var remaining = words
        while remaining.count > 1, let last = remaining.last, corporateSuffixes.contains(last) {
            remaining.removeLast()
        }
        return remaining
    }
}
