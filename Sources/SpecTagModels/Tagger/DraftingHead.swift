/// The non-autoregressive drafting head (`draft_head.*`): a linear layer over the encoder states
/// that predicts every word's tag and the sentiment at once.
public struct DraftingHead: Sendable {
    let width: Int
    let shapeEmbeddings: [Float]
    let tagClassifier: Linear
    let sentimentClassifier: Linear

    /// Loads `draft_head.*` from a checkpoint.
    /// - Throws: `CheckpointError` when a tensor is missing or has the wrong shape.
    public init(_ tensors: TensorStore, configuration: TaggerConfiguration, width: Int) throws {
        self.width = width
        shapeEmbeddings = try tensors.floats("draft_head.shape_embeddings.weight", shape: [configuration.wordShapes.count, width])
        tagClassifier = try Linear(tensors, "draft_head.tag_classifier", inputFeatures: width, outputFeatures: configuration.tags.count)
        sentimentClassifier = try Linear(tensors, "draft_head.sentiment_classifier", inputFeatures: width, outputFeatures: configuration.sentimentLabels.count)
    }

    /// Returns the tag logits of every word, `[words, tags]`, and the sentiment logits.
    public func logits(for sentence: EncodedSentence) -> (tags: Matrix, sentiment: [Float]) {
        var input = sentence.wordStates
        for word in 0 ..< sentence.wordCount {
            let shape = sentence.wordShapes[word]
            for column in 0 ..< width { input[word, column] += shapeEmbeddings[shape * width + column] }
        }
        let sentiment = sentimentClassifier(Matrix(rows: 1, columns: width, values: sentence.clsState))
        return (tagClassifier(input), sentiment.values)
    }
}
