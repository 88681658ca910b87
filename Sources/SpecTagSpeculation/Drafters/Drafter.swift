import SpecTagModels

/// One sentence as input to a drafter: its words and the target encoder's states for them.
public struct DraftingSentence: Sendable {
    public let words: [String]
    public let encoded: EncodedSentence

    public init(words: [String], encoded: EncodedSentence) {
        self.words = words
        self.encoded = encoded
    }
}

/// A cheap model that proposes the target's output for the rest of a sentence.
///
/// A drafter never changes the result of speculative decoding, which always equals the target's
/// greedy output; it only changes how many target passes that takes. Add a drafter by adding a
/// type that conforms to this protocol.
public protocol Drafter: Sendable {
    /// The name users pass to `--drafter`.
    var name: String { get }

    /// Starts drafting one sentence; the session is asked again after each verification pass.
    func makeSession(for sentence: DraftingSentence) -> any DraftSession
}

/// A drafter's per-sentence state.
public protocol DraftSession {
    /// Proposes up to `count` classes for the positions after `acceptedTags`: tag class ids for
    /// the remaining words, then the sentiment class id after the last word.
    ///
    /// `acceptedTags` are the target's tags so far (every word before the first drafted one).
    /// Returning fewer than `count` classes, or none, is allowed.
    mutating func draft(acceptedTags: [Int], count: Int) -> [Int]
}
