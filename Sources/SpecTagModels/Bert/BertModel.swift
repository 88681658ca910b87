import Foundation

/// A BERT encoder without pooler: embeddings followed by `encoder.layer.0 ..< N`.
///
/// Loads the tensors that `transformers`' `BertModel` writes, with or without the `bert.`
/// prefix; F16 and BF16 weights are widened to F32 at load and all arithmetic is F32.
public struct BertModel: Sendable {
    public let configuration: BertConfiguration
    let embeddings: BertEmbeddings
    let layers: [BertLayer]

    /// Builds the encoder from a configuration and a checkpoint's tensors.
    /// - Throws: `CheckpointError` when a tensor is missing or has the wrong shape.
    public init(configuration: BertConfiguration, tensors: TensorStore) throws {
        self.configuration = configuration
        embeddings = try BertEmbeddings(tensors, configuration)
        layers = try (0 ..< configuration.layerCount).map { index in
            try BertLayer(tensors, "encoder.layer.\(index)", configuration)
        }
    }

    /// Runs the encoder over every sequence of the batch.
    /// - Throws: `EncoderInputError` for token ids, types, masks or lengths the model cannot use.
    public func encode(_ batch: EncoderBatch) throws -> EncoderOutput {
        let offsets = batch.rowOffsets
        var states = try embeddings(batch)
        let keyBias = try attentionKeyBias(batch)
        for layer in layers {
            states = layer(states, rowOffsets: offsets, keyBias: keyBias)
        }
        return EncoderOutput(hiddenStates: states, rowOffsets: offsets)
    }

    /// Turns attention masks into additive key biases (0 or -infinity); nil where all ones.
    private func attentionKeyBias(_ batch: EncoderBatch) throws -> [[Float]?] {
        guard let masks = batch.attentionMasks else {
            return [[Float]?](repeating: nil, count: batch.tokenIDs.count)
        }
        guard masks.count == batch.tokenIDs.count else {
            throw EncoderInputError.shapeMismatch("\(batch.tokenIDs.count) sequences but \(masks.count) attention masks")
        }
        return try zip(masks, batch.tokenIDs).enumerated().map { index, pair in
            let (mask, ids) = pair
            guard mask.count == ids.count else {
                throw EncoderInputError.shapeMismatch("sequence \(index) has \(ids.count) tokens but a mask of \(mask.count)")
            }
            if mask.allSatisfy({ $0 != 0 }) { return nil }
            return mask.map { $0 == 0 ? -Float.infinity : 0 }
        }
    }
}
