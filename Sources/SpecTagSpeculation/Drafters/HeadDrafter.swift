import SpecTagModels

/// Drafts with the target's own non-autoregressive drafting head: one linear layer over the
/// encoder states that the target computes anyway, so a draft costs almost nothing.
public struct HeadDrafter: Drafter {
    public let name = "head"
    let head: DraftingHead

    public init(head: DraftingHead) {
        self.head = head
    }

    /// Creates the drafter of a model that has a drafting head, or nil.
    public init?(model: TargetModel) {
        guard let head = model.draftingHead else { return nil }
        self.init(head: head)
    }

    public func makeSession(for sentence: DraftingSentence) -> any DraftSession {
        let (tagLogits, sentimentLogits) = head.logits(for: sentence.encoded)
        let classes = (0 ..< tagLogits.rows).map { argmax(tagLogits.row($0)) } + [argmax(sentimentLogits)]
        return FixedDraftSession(classes: classes)
    }
}

/// A session whose proposals do not depend on the accepted prefix.
struct FixedDraftSession: DraftSession {
    /// Tags of every word, then the sentiment.
    let classes: [Int]

    mutating func draft(acceptedTags: [Int], count: Int) -> [Int] {
        Array(classes.dropFirst(acceptedTags.count).prefix(count))
    }
}
