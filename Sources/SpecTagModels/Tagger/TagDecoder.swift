/// The autoregressive tag decoder (`tagger.*`): causal transformer layers over a sentence's words
/// followed by its sentiment slot, with the previous position's tag as an input.
///
/// Both entry points run through `decode(_:requests:)`: a greedy step is a request for one
/// position, and a verification pass is a request whose previous tags are the last accepted tag
/// followed by the drafted tags, scored in one parallel pass.
public struct TagDecoder: Sendable {
    public let width: Int
    public let tagCount: Int
    public let sentimentCount: Int
    /// The previous-tag index that marks the start of a sentence.
    public var startTag: Int { tagCount }

    let shapeEmbeddings: [Float]
    let tagEmbeddings: [Float]
    let sentimentQuery: [Float]
    let inputNorm: LayerNorm
    let layers: [TagDecoderLayer]
    let tagClassifier: Linear
    let sentimentClassifier: Linear

    /// Loads `tagger.*` from a checkpoint.
    /// - Throws: `CheckpointError` when a tensor is missing or has the wrong shape.
    public init(_ tensors: TensorStore, configuration: TaggerConfiguration, width: Int) throws {
        let decoder = configuration.decoder
        self.width = width
        tagCount = configuration.tags.count
        sentimentCount = configuration.sentimentLabels.count
        shapeEmbeddings = try tensors.floats("tagger.shape_embeddings.weight", shape: [configuration.wordShapes.count, width])
        tagEmbeddings = try tensors.floats("tagger.tag_embeddings.weight", shape: [tagCount + 1, width])
        sentimentQuery = try tensors.floats("tagger.sentiment_query", shape: [width])
        inputNorm = try LayerNorm(tensors, "tagger.input_norm", features: width, epsilon: decoder.layerNormEpsilon)
        layers = try (0 ..< decoder.layers).map { index in
            try TagDecoderLayer(tensors, "tagger.layers.\(index)", width: width, heads: decoder.heads,
                                feedForwardSize: decoder.feedForwardSize, epsilon: decoder.layerNormEpsilon)
        }
        tagClassifier = try Linear(tensors, "tagger.tag_classifier", inputFeatures: width, outputFeatures: tagCount)
        sentimentClassifier = try Linear(tensors, "tagger.sentiment_classifier", inputFeatures: width, outputFeatures: sentimentCount)
    }

    // MARK: Preparing sentences

    /// Creates the decoder state of one encoded sentence.
    public func makeState(for sentence: EncodedSentence) -> DecoderState {
        var base = Matrix(rows: sentence.wordCount + 1, columns: width)
        for word in 0 ..< sentence.wordCount {
            let shape = sentence.wordShapes[word]
            for column in 0 ..< width {
                base[word, column] = sentence.wordStates[word, column] + shapeEmbeddings[shape * width + column]
            }
        }
        for column in 0 ..< width {
            base[sentence.wordCount, column] = sentence.clsState[column] + sentimentQuery[column]
        }
        return DecoderState(inputBase: base, layers: layers.count)
    }

    // MARK: Decoding

    /// One sentence's share of a decoder pass.
    public struct Request: Sendable {
        /// Index of the sentence's state in the `states` array.
        public var state: Int
        /// The previous tag of each new position, starting at the state's `acceptedCount`: the
        /// last accepted tag (or `startTag`), then any drafted tags.
        public var previousTags: [Int]

        public init(state: Int, previousTags: [Int]) {
            self.state = state
            self.previousTags = previousTags
        }
    }

    /// Scores new positions of several sentences in one pass.
    ///
    /// Returns, for each request, one logit vector per new position: tag logits for a word
    /// position and sentiment logits for the sentiment slot (position `wordCount`). The keys and
    /// values of the new positions are written to each state's cache; call
    /// `DecoderState.accept(_:)` for the positions whose inputs turned out correct.
    ///
    /// - Important: each request must fit, `acceptedCount + previousTags.count <= positionCount`,
    ///   and every previous tag must be in `0 ... startTag`.
    public func decode(_ states: inout [DecoderState], requests: [Request]) -> [[[Float]]] {
        let segments = requests.map { request in
            DecoderSegment(state: request.state, start: states[request.state].acceptedCount, count: request.previousTags.count)
        }
        for (segment, request) in zip(segments, requests) {
            precondition(segment.start + segment.count <= states[segment.state].positionCount, "decoder request runs past the sentiment slot")
            precondition(request.previousTags.allSatisfy { (0 ... startTag).contains($0) }, "previous tag out of range")
        }
        let rows = segments.reduce(0) { $0 + $1.count }
        return BLASInfo.withSingleThread(whenRows: rows) {
            var hidden = inputs(states, requests: requests, segments: segments)
            for (index, layer) in layers.enumerated() {
                hidden = layer(hidden, segments: segments, caches: &states, layer: index)
            }
            return classify(hidden, states: states, segments: segments)
        }
    }

    private func inputs(_ states: [DecoderState], requests: [Request], segments: [DecoderSegment]) -> Matrix {
        var input = Matrix(rows: segments.reduce(0) { $0 + $1.count }, columns: width)
        var row = 0
        for (segment, request) in zip(segments, requests) {
            let base = states[segment.state].inputBase
            for (offset, previous) in request.previousTags.enumerated() {
                let position = segment.start + offset
                for column in 0 ..< width {
                    input[row, column] = base[position, column] + tagEmbeddings[previous * width + column]
                }
                row += 1
            }
        }
        inputNorm.apply(&input)
        return input
    }

    private func classify(_ hidden: Matrix, states: [DecoderState], segments: [DecoderSegment]) -> [[[Float]]] {
        let tagLogits = tagClassifier(hidden)
        var sentimentRows: [Int] = []
        var row = 0
        for segment in segments {
            let slot = states[segment.state].wordCount
            if (segment.start ..< segment.start + segment.count).contains(slot) { sentimentRows.append(row + slot - segment.start) }
            row += segment.count
        }
        let sentimentLogits = sentimentClassifier(hidden.gatherRows(sentimentRows))
        var results: [[[Float]]] = []
        row = 0
        var sentimentIndex = 0
        for segment in segments {
            var positions: [[Float]] = []
            for offset in 0 ..< segment.count {
                if segment.start + offset == states[segment.state].wordCount {
                    positions.append(sentimentLogits.row(sentimentIndex))
                    sentimentIndex += 1
                } else {
                    positions.append(tagLogits.row(row + offset))
                }
            }
            results.append(positions)
            row += segment.count
        }
        return results
    }
}
