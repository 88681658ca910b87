// Character classes as Hugging Face's BERT normalizer and pre-tokenizer define them.

extension Unicode.Scalar {
    /// Whether the BERT normalizer treats the scalar as whitespace: tab, newline, carriage return
    /// and every scalar with the Unicode `White_Space` property.
    var isBertWhitespace: Bool {
        if isASCII {
            return value == 0x20 || (0x09...0x0D).contains(value)
        }
        return properties.isWhitespace
    }

    /// Whether the scalar has the Unicode `White_Space` property, as Rust's `char::is_whitespace`.
    var isUnicodeWhitespace: Bool {
        if isASCII {
            return value == 0x20 || (0x09...0x0D).contains(value)
        }
        return properties.isWhitespace
    }

    /// Whether the BERT normalizer removes the scalar as a control character: every general
    /// category `C*` (Cc, Cf, Cn, Co, Cs) except tab, newline and carriage return.
    var isBertControl: Bool {
        if value == 0x09 || value == 0x0A || value == 0x0D {
            return false
        }
        if isASCII {
            return value < 0x20 || value == 0x7F
        }
        switch properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar is punctuation for BERT: the ASCII ranges 33-47, 58-64, 91-96 and
    /// 123-126 (which include `$`, `+`, `<`, `^` and `|`), and every Unicode category `P*`.
    var isBertPunctuation: Bool {
        let v = value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v)
            || (123...126).contains(v)
        {
            return true
        }
        return !isASCII && isUnicodePunctuation
    }

    /// Whether the scalar's general category is one of the punctuation categories `P*`.
    var isUnicodePunctuation: Bool {
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar is in one of the CJK ideograph blocks that BERT tokenizes one
    /// character at a time. Hangul, Hiragana and Katakana are not included.
    var isCJKIdeograph: Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
