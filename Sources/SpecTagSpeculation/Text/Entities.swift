/// A named-entity mention in a text.
public struct EntityMention: Sendable, Equatable, Codable {
    /// The mention as it appears in the text.
    public var text: String
    /// `PER`, `ORG`, `LOC` or `MISC`.
    public var type: String
    /// Unicode scalar (code point) offsets into the original text, end exclusive.
    public var start: Int
    public var end: Int
    /// The mean probability of the chosen tag over the mention's words.
    public var confidence: Double
    /// Index of the sentence that contains the mention.
    public var sentence: Int
}

/// A BIO chunk: words `range` of a sentence form one entity of `type`.
public struct TagChunk: Sendable, Equatable {
    public var type: String
    public var range: Range<Int>
}

/// Groups BIO tags into chunks with conlleval's rules. A chunk starts at `B-X`, and at `I-X`
/// after `O` or after a tag of another type. It ends before `O`, `B-`, or an `I-` of another type.
public func chunks(ofTags tags: [String]) -> [TagChunk] {
    var result: [TagChunk] = []
    var current: TagChunk?
    for (index, tag) in tags.enumerated() {
        let (prefix, type) = splitTag(tag)
        if prefix == "I", let open = current, open.type == type {
            current = TagChunk(type: type, range: open.range.lowerBound ..< index + 1)
            continue
        }
        if let finished = current { result.append(finished) }
        current = prefix == "O" ? nil : TagChunk(type: type, range: index ..< index + 1)
    }
    if let finished = current { result.append(finished) }
    return result
}

/// Splits `B-ORG` into (`B`, `ORG`); `O` and unknown forms give (`O`, ``).
func splitTag(_ tag: String) -> (prefix: String, type: String) {
    guard tag.count > 2, let dash = tag.firstIndex(of: "-") else { return ("O", "") }
    let prefix = String(tag[..<dash])
    guard prefix == "B" || prefix == "I" else { return ("O", "") }
    return (prefix, String(tag[tag.index(after: dash)...]))
}
