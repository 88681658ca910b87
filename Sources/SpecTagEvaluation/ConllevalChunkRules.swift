// MARK: - Tags split as in conlleval.pl

/// A tag split the way conlleval.pl (version 2004-01-26) splits it.
///
/// The chunk prefix is the text before the first hyphen and the type is the rest, so `B-PER`
/// is (`B`, `PER`), `O` is (`O`, ""), and a tag without a hyphen has an empty type.
/// conlleval.pl treats the type `0` as empty because Perl's `0` is false, and so does this.
public struct ConllevalTag: Equatable, Sendable {
    /// The chunk prefix: `B`, `I`, `O`, and also `E`, `[`, `]` and `.` of other chunk
    /// representations.
    public var prefix: String
    /// The chunk type, such as `PER`. Empty for `O`.
    public var type: String

    public init(prefix: String, type: String) {
        self.prefix = prefix
        self.type = type
    }

    /// Splits `tag` at its first hyphen.
    public init(_ tag: String) {
        guard let hyphen = tag.firstIndex(of: "-") else {
            self.init(prefix: tag, type: "")
            return
        }
        let type = String(tag[tag.index(after: hyphen)...])
        self.init(prefix: String(tag[..<hyphen]), type: type == "0" ? "" : type)
    }

    /// The tags that conlleval.pl gives a sentence boundary, for the gold and the predicted
    /// column alike.
    public static let outside = ConllevalTag(prefix: "O", type: "")
}

// MARK: - Chunk boundaries

/// The chunk rules of conlleval.pl's `endOfChunk` and `startOfChunk`, including the rules for
/// the `E`, `[` and `]` prefixes of other chunk representations, which BIO tags never trigger.
enum ConllevalChunkRules {
    /// Returns whether a chunk ended between the previous token and the current one.
    static func endsChunk(previous: ConllevalTag, current: ConllevalTag) -> Bool {
        switch (previous.prefix, current.prefix) {
        case ("B", "B"), ("B", "O"), ("I", "B"), ("I", "O"),
            ("E", "E"), ("E", "I"), ("E", "O"):
            return true
        default:
            break
        }
        if previous.prefix != "O", previous.prefix != ".", previous.type != current.type {
            return true
        }
        // conlleval.pl treats chunks tagged "[" or "]" as one token long.
        return previous.prefix == "]" || previous.prefix == "["
    }

    /// Returns whether a chunk started between the previous token and the current one.
    static func startsChunk(previous: ConllevalTag, current: ConllevalTag) -> Bool {
        switch (previous.prefix, current.prefix) {
        case ("B", "B"), ("I", "B"), ("O", "B"), ("O", "I"),
            ("E", "E"), ("E", "I"), ("O", "E"):
            return true
        default:
            break
        }
        if current.prefix != "O", current.prefix != ".", previous.type != current.type {
            return true
        }
        return current.prefix == "[" || current.prefix == "]"
    }
}
