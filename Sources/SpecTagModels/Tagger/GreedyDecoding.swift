/// The target's output for one sentence.
public struct TaggedSentence: Sendable, Equatable {
    /// Tag class ids, one per word.
    public var tags: [Int]
    /// The softmax over tags at each word position, as the pass that chose the tag computed it.
    public var tagProbabilities: [[Float]]
    /// The sentiment class id.
    public var sentiment: Int
    public var sentimentProbabilities: [Float]

    public init(tags: [Int] = [], tagProbabilities: [[Float]] = [], sentiment: Int = 0, sentimentProbabilities: [Float] = []) {
        self.tags = tags
        self.tagProbabilities = tagProbabilities
        self.sentiment = sentiment
        self.sentimentProbabilities = sentimentProbabilities
    }

    /// Records the chosen class at the next position: a tag, or the sentiment after the last word.
    public mutating func append(_ choice: Int, probabilities: [Float], wordCount: Int) {
        if tags.count < wordCount {
            tags.append(choice)
            tagProbabilities.append(probabilities)
        } else {
            sentiment = choice
            sentimentProbabilities = probabilities
        }
    }
}

/// Returns the index of the largest element; the first one on ties, as `torch.argmax` does.
public func argmax(_ values: [Float]) -> Int {
    var best = 0
    for index in values.indices where values[index] > values[best] { best = index }
    return best
}

extension TagDecoder {
    /// Decodes every sentence greedily, one position per pass, all sentences batched.
    ///
    /// This is the reference output: speculative decoding must return exactly these tags.
    /// Returns the result and the number of sequential passes run.
    public func greedyDecode(_ states: inout [DecoderState]) -> (sentences: [TaggedSentence], passes: Int) {
        var results = [TaggedSentence](repeating: TaggedSentence(), count: states.count)
        var previous = [Int](repeating: startTag, count: states.count)
        var passes = 0
        while true {
            let active = states.indices.filter { !states[$0].isComplete }
            guard !active.isEmpty else { break }
            let logits = decode(&states, requests: active.map { Request(state: $0, previousTags: [previous[$0]]) })
            passes += 1
            for (request, positions) in zip(active, logits) {
                let choice = argmax(positions[0])
                results[request].append(choice, probabilities: Softmax.probabilities(positions[0]), wordCount: states[request].wordCount)
                previous[request] = choice
                states[request].accept(1)
            }
        }
        return (results, passes)
    }
}
