// MARK: - Word shapes

/// The orthographic shape of a word, one input feature of the tagger.
///
/// The raw values are the names in `spectag.json`'s `word_shapes`.
public enum WordShape: String, CaseIterable, Sendable {
    case lower
    case capitalized
    case upper
    case mixed
    case digits
    case punct

    /// Computes the shape of `word` from the Unicode general categories of its scalars:
    /// 1. Letters are the scalars whose category starts with `L`.
    /// 2. With no letters: `digits` if any scalar is `Nd`, else `punct` (also for an empty word).
    /// 3. If every letter is `Lu`: `upper` when there are two letters or more, else `capitalized`
    ///    (`A` and `3M` are capitalized, `IBM` is upper).
    /// 4. If every letter is `Ll`: `lower`.
    /// 5. If the first letter is `Lu` and every other letter is `Ll`: `capitalized`.
    /// 6. Otherwise `mixed` (`iPhone`, `McDonald`, and words in scripts without case such as CJK).
    public init(of word: String) {
        var letterCount = 0
        var allUppercase = true
        var allLowercase = true
        var firstIsUppercase = false
        var restAreLowercase = true
        var hasDecimalDigit = false

        for scalar in word.unicodeScalars {
            let category = scalar.properties.generalCategory
            switch category {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
                let isUpper = category == .uppercaseLetter
                let isLower = category == .lowercaseLetter
                if letterCount == 0 {
                    firstIsUppercase = isUpper
                } else if !isLower {
                    restAreLowercase = false
                }
                allUppercase = allUppercase && isUpper
                allLowercase = allLowercase && isLower
                letterCount += 1
            case .decimalNumber:
                hasDecimalDigit = true
            default:
                break
            }
        }

        if letterCount == 0 {
            self = hasDecimalDigit ? .digits : .punct
        } else if allUppercase {
            self = letterCount >= 2 ? .upper : .capitalized
        } else if allLowercase {
            self = .lower
        } else if firstIsUppercase && restAreLowercase {
            self = .capitalized
        } else {
            self = .mixed
        }
    }
}
