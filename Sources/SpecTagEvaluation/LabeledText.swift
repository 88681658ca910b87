// MARK: - Labeled text

/// A text with its gold label, such as a sentence of a sentiment data set.
public struct LabeledText: Codable, Equatable, Sendable {
    /// The text, with leading and trailing whitespace removed.
    public var text: String
    /// The label after any label mapping, such as `positive`.
    public var label: String
    /// The 1-based line of the source file where the record starts.
    public var lineNumber: Int

    public init(text: String, label: String, lineNumber: Int) {
        self.text = text
        self.label = label
        self.lineNumber = lineNumber
    }
}

// MARK: - Whitespace

/// Removes leading and trailing whitespace as Python's `str.strip()` with no argument does.
///
/// The characters are those for which Python 3's `str.isspace()` is true: U+0009 to U+000D,
/// U+001C to U+001F, U+0020, U+0085, U+00A0, U+1680, U+2000 to U+200A, U+2028, U+2029, U+202F,
/// U+205F and U+3000. The PhraseBank split depends on it, because the Python training recipe
/// hashes the same stripped text.
public func stripPythonWhitespace(_ text: some StringProtocol) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !isPythonWhitespace($0) }),
        let last = scalars.lastIndex(where: { !isPythonWhitespace($0) })
    else {
        return ""
    }
    return String(String.UnicodeScalarView(scalars[first...last]))
}

private func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
        return true
    default:
        return false
    }
}
