// MARK: - Train/dev split

/// A part of a data set.
public enum DatasetSplit: String, Codable, Sendable {
    case train
    case dev
}

/// The project's fixed train/dev split of Financial PhraseBank, shared with the Python
/// training recipe, which must compute the same function.
///
/// A sentence is in `dev` if and only if `fnv1a64(UTF-8 bytes of the stripped sentence) % 5 == 0`,
/// so about a fifth of the sentences are dev. The sentence is the text before the last `@` of
/// the line, decoded (UTF-8 or latin-1, see `PhraseBankReader`) and stripped as Python's
/// `str.strip()` strips (see `stripPythonWhitespace(_:)`). The split depends only on the
/// sentence, so it is the same for the 50%, 66%, 75% and 100% agreement files, and duplicate
/// sentences always land in the same part.
public enum PhraseBankSplit {
    /// FNV-1a 64-bit offset basis.
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// FNV-1a 64-bit prime.
    public static let prime: UInt64 = 0x100_0000_01b3
    /// A sentence is in dev when its hash is divisible by this.
    public static let devModulus: UInt64 = 5

    /// Returns the 64-bit FNV-1a hash of `bytes`: for each byte, XOR it in, then multiply by
    /// the prime modulo 2^64.
    public static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash = offsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* prime
        }
        return hash
    }

    /// Returns the split of a sentence. The sentence is stripped first, so passing the raw text
    /// before the `@` or the `text` of a `LabeledText` gives the same result.
    public static func split(ofSentence sentence: String) -> DatasetSplit {
        let hash = fnv1a64(stripPythonWhitespace(sentence).utf8)
        return hash % devModulus == 0 ? .dev : .train
    }

    /// Partitions records by `split(ofSentence:)`, keeping their order.
    public static func partition(_ records: [LabeledText]) -> (train: [LabeledText], dev: [LabeledText]) {
        var train: [LabeledText] = []
        var dev: [LabeledText] = []
        for record in records {
            switch split(ofSentence: record.text) {
            case .train: train.append(record)
            case .dev: dev.append(record)
            }
        }
        return (train, dev)
    }
}
