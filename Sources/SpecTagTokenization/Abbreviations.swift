// MARK: - Abbreviations in news text

/// Abbreviations that end with a period in English news text, without that period.
///
/// The word splitter keeps their period and the sentence splitter does not end a sentence after
/// them. Matching is case-sensitive. Single capital letters (`J.`) and letters joined by periods
/// (`U.S.`, `e.g.`) are recognized by pattern and need no entry.
public let newsAbbreviations: Set<String> = [
    // Company forms.
    "Inc", "Corp", "Ltd", "Co", "Cos", "Bros", "Assn", "Dept", "Mfg",
    // Titles.
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Jr", "Sr", "Gen", "Gov", "Sen", "Rep", "Rev", "Lt", "Col",
    "Capt", "Sgt", "Adm", "Maj", "Pres", "Hon",
    // Months and places.
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "St", "Mt", "Ave", "Blvd", "Ft",
    // Other.
    "vs", "etc", "approx", "est", "No", "Nos", "Vol", "Fig",
]

/// Returns whether `word` (without its final period) is an abbreviation that keeps a following period:
/// an entry of `abbreviations`, a single uppercase letter, or single letters or letter pairs
/// joined by periods (`U.S`, `e.g`, `U.K`).
func isAbbreviation(_ word: ArraySlice<Unicode.Scalar>, abbreviations: Set<String>) -> Bool {
    guard let first = word.first else { return false }
    if word.count == 1 {
        return first.properties.generalCategory == .uppercaseLetter
    }
    var text = String.UnicodeScalarView()
    text.append(contentsOf: word)
    if abbreviations.contains(String(text)) {
        return true
    }
    let segments = word.split(separator: ".", omittingEmptySubsequences: false)
    guard segments.count >= 2 else { return false }
    return segments.allSatisfy { segment in
        (1...2).contains(segment.count) && segment.allSatisfy { $0.properties.isAlphabetic }
    }
}
