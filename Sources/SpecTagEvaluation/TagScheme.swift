// MARK: - Schemes

/// The way a tag column marks the first token of an entity.
///
/// - `iob2` (also called BIO): every entity starts with `B-X`, and `I-X` continues it.
/// - `iob1` (the original CoNLL-2003 files): entities start with `I-X`, and `B-X` appears only
///   on the first token of an entity that directly follows another entity of the same type.
public enum TagScheme: String, Codable, Sendable {
    case iob1
    case iob2
}

/// How the reader decides the scheme of a file.
public enum TagSchemeSelection: Equatable, Sendable {
    /// Use the rule of `BIOTags.detectScheme(in:)`.
    case detect
    /// Use the given scheme whatever the tags look like.
    case forced(TagScheme)
}

// MARK: - BIO tags

/// A tag of the `O`, `B-X`, `I-X` family, where `X` is the entity type.
///
/// The prefix is the text before the first hyphen, as in conlleval.pl, so a type may contain
/// hyphens (`B-ORG-SUB` has type `ORG-SUB`).
public enum BIOTag: Equatable, Sendable {
    case outside
    case begin(String)
    case inside(String)

    /// Parses `O`, `B-X` or `I-X` with a non-empty `X`, and returns `nil` for anything else.
    public init?(_ tag: String) {
        if tag == "O" {
            self = .outside
            return
        }
        guard let hyphen = tag.firstIndex(of: "-") else {
            return nil
        }
        let prefix = tag[..<hyphen]
        let type = String(tag[tag.index(after: hyphen)...])
        guard !type.isEmpty else {
            return nil
        }
        switch prefix {
        case "B": self = .begin(type)
        case "I": self = .inside(type)
        default: return nil
        }
    }

    /// The entity type, or `nil` for `O`.
    public var type: String? {
        switch self {
        case .outside: return nil
        case .begin(let type), .inside(let type): return type
        }
    }

    /// The tag as written in a file.
    public var text: String {
        switch self {
        case .outside: return "O"
        case .begin(let type): return "B-\(type)"
        case .inside(let type): return "I-\(type)"
        }
    }
}

/// Scheme detection and conversion on tag sequences.
public enum BIOTags {
    /// Returns whether `tag` is an `I-X` that starts an entity: it follows `O`, a tag of
    /// another type, or the sentence start (`previous == nil`).
    ///
    /// Such a tag is how IOB1 starts an entity. In IOB2 it is an annotation error, which
    /// conlleval.pl also counts as the start of an entity.
    public static func isInsideStartingEntity(_ tag: String, after previous: String?) -> Bool {
        guard case .inside(let type) = BIOTag(tag) else {
            return false
        }
        guard let previous, let previousType = BIOTag(previous)?.type else {
            return true
        }
        return previousType != type
    }

    /// Detects the scheme of a tag column, given as one tag sequence per sentence.
    ///
    /// The rule: the column is IOB1 if at least one `I-X` tag starts an entity (see
    /// `isInsideStartingEntity(_:after:)`), and IOB2 otherwise. A column without entities is
    /// IOB2. Because one stray `I-X` is enough, an IOB2 file with an annotation error is
    /// detected as IOB1. Converting it still gives the same entities.
    public static func detectScheme(in sentences: [[String]]) -> TagScheme {
        for tags in sentences {
            var previous: String?
            for tag in tags {
                if isInsideStartingEntity(tag, after: previous) {
                    return .iob1
                }
                previous = tag
            }
        }
        return .iob2
    }

    /// Converts the tags of one sentence from IOB1 to IOB2.
    ///
    /// Every `I-X` that starts an entity becomes `B-X`. Other tags are unchanged, so the
    /// conversion is a no-op on valid IOB2 and changes no entity boundary. Strings that are
    /// not BIO tags are copied as they are.
    public static func convertIOB1ToIOB2(_ tags: [String]) -> [String] {
        var converted: [String] = []
        converted.reserveCapacity(tags.count)
        var previous: String?
        for tag in tags {
            if isInsideStartingEntity(tag, after: previous), let type = BIOTag(tag)?.type {
                converted.append(BIOTag.begin(type).text)
            } else {
                converted.append(tag)
            }
            previous = tag
        }
        return converted
    }
}
