import SpecTagModels

/// Decodes sentences with the target model, by draft-and-verify when a drafter is set.
///
/// Each pass, the drafter proposes up to `maximumDraft` classes for every unfinished sentence.
/// The target decoder scores the last accepted tag followed by the drafted ones in one parallel
/// pass and keeps the longest prefix on which its own argmax agrees with the draft. At the first
/// disagreement it takes its own class, and when the whole draft is accepted it adds one bonus
/// class.
/// Positions computed from rejected inputs never enter the key/value cache. The result is
/// therefore exactly the target's greedy output; only the number of sequential passes changes.
public struct SpeculativeDecoder: Sendable {
    public let decoder: TagDecoder
    /// Nil decodes greedily, one position per pass: the reference.
    public let drafter: (any Drafter)?
    /// The maximum number of drafted positions per sentence per pass.
    public let maximumDraft: Int

    public init(decoder: TagDecoder, drafter: (any Drafter)?, maximumDraft: Int) {
        precondition(maximumDraft >= 0, "maximumDraft must not be negative")
        self.decoder = decoder
        self.drafter = drafter
        self.maximumDraft = drafter == nil ? 0 : maximumDraft
    }

    /// The output of `decode(_:)`.
    public struct Result: Sendable {
        public var sentences: [TaggedSentence]
        /// Each sentence's own counters; its `targetPasses` are the passes it took part in.
        public var perSentence: [DecodingStatistics]
        /// Counters of the whole batch; `targetPasses` counts batched passes.
        public var total: DecodingStatistics
    }

    /// Decodes every sentence, all batched, each with its own accepted length; a sentence that
    /// finishes leaves the batch.
    public func decode(_ sentences: [DraftingSentence]) -> Result {
        var states = sentences.map { decoder.makeState(for: $0.encoded) }
        var sessions = sentences.map { sentence in drafter?.makeSession(for: sentence) }
        var results = [TaggedSentence](repeating: TaggedSentence(), count: sentences.count)
        var perSentence = states.map { state in
            var statistics = DecodingStatistics()
            statistics.sentences = 1
            statistics.positions = state.positionCount
            return statistics
        }
        var targetPasses = 0

        while true {
            let active = states.indices.filter { !states[$0].isComplete }
            guard !active.isEmpty else { break }
            var drafts: [[Int]] = []
            var requests: [TagDecoder.Request] = []
            for index in active {
                let remaining = states[index].positionCount - states[index].acceptedCount
                var draft = sessions[index]?.draft(acceptedTags: results[index].tags, count: min(maximumDraft, remaining)) ?? []
                draft = Array(draft.prefix(min(maximumDraft, remaining)))
                drafts.append(draft)
                let previous = results[index].tags.last ?? decoder.startTag
                // The last drafted class needs no position after it when it fills the sentence.
                // A drafted id outside the tag range can never equal the target's argmax, so a
                // position fed from it is always rejected. Clamping only keeps the lookup in range.
                let inputs = [previous] + draft.prefix(remaining - 1).map { max(0, min($0, decoder.startTag - 1)) }
                requests.append(TagDecoder.Request(state: index, previousTags: inputs))
            }
            let logits = decoder.decode(&states, requests: requests)
            targetPasses += 1
            for (slot, index) in active.enumerated() {
                verify(drafts[slot], logits: logits[slot], state: &states[index], result: &results[index], statistics: &perSentence[index])
                perSentence[index].targetPasses += 1
            }
        }
        var total = DecodingStatistics()
        for statistics in perSentence { total.add(statistics) }
        total.targetPasses = targetPasses
        return Result(sentences: results, perSentence: perSentence, total: total)
    }

    /// Accepts the agreeing prefix of a draft plus the target's class after it.
    private func verify(_ draft: [Int], logits: [[Float]], state: inout DecoderState, result: inout TaggedSentence, statistics: inout DecodingStatistics) {
        var accepted = 0
        var decodedPositions = 0
        for position in logits.indices {
            let choice = argmax(logits[position])
            result.append(choice, probabilities: Softmax.probabilities(logits[position]), wordCount: state.wordCount)
            decodedPositions += 1
            guard position < draft.count, draft[position] == choice else { break }
            accepted += 1
        }
        state.accept(decodedPositions)
        statistics.recordPass(drafted: draft.count, accepted: accepted)
    }
}
