import Dispatch
import SpecTagSpeculation

// MARK: - Tagger

/// The tagger interface of the service. ``TextTagger`` conforms, and tests can pass a
/// stand-in that fails on chosen texts.
public protocol NewsTagging: Sendable {
    /// The model name written into tagged records.
    var modelName: String { get }
    /// The drafter name written into tagged records.
    var drafterName: String { get }
    /// The model's sentiment labels; the service requires `negative`, `neutral` and `positive`.
    var sentimentLabels: [String] { get }
    /// Tags `texts` and returns one ``TaggedText`` per text, in order.
    ///
    /// - Throws: any error for input the tagger cannot take. The service then tags the
    ///   batch's messages one by one and sends those that still fail to the dead-letter topic.
    func tagTexts(_ texts: [String]) throws -> TaggingRun
}

extension TextTagger: NewsTagging {
    public var modelName: String { model.name }
    public var sentimentLabels: [String] { model.sentimentLabels }

    public func tagTexts(_ texts: [String]) throws -> TaggingRun {
        try tag(texts)
    }
}

// MARK: - Tagging thread

/// Runs tagging calls one at a time on a dedicated dispatch queue, off the consumer's poll
/// thread and off Swift's cooperative thread pool, because one call keeps a core busy.
final class TaggingWorker: Sendable {
    let tagger: any NewsTagging
    private let queue = DispatchQueue(label: "spectag.tagging", qos: .userInitiated)

    init(tagger: any NewsTagging) {
        self.tagger = tagger
    }

    /// Tags `texts` on the tagging queue and returns the tagger's result or error.
    func tag(_ texts: [String]) async -> Result<TaggingRun, any Error> {
        await withCheckedContinuation { continuation in
            queue.async { [tagger] in
                continuation.resume(returning: Result { try tagger.tagTexts(texts) })
            }
        }
    }
}
