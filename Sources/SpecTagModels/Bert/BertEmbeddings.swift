/// Word, position and token-type embeddings summed and normalized (`embeddings.*`).
public struct BertEmbeddings: Sendable {
    let configuration: BertConfiguration
    /// `embeddings.word_embeddings.weight`, `[vocabulary, hidden]`.
    let wordEmbeddings: [Float]
    /// `embeddings.position_embeddings.weight`, `[positions, hidden]`.
    let positionEmbeddings: [Float]
    /// `embeddings.token_type_embeddings.weight`, `[types, hidden]`.
    let tokenTypeEmbeddings: [Float]
    /// `embeddings.LayerNorm`.
    let layerNorm: LayerNorm

    init(_ tensors: TensorStore, _ configuration: BertConfiguration) throws {
        let hidden = configuration.hiddenSize
        self.configuration = configuration
        wordEmbeddings = try tensors.floats("embeddings.word_embeddings.weight", shape: [configuration.vocabularySize, hidden])
        positionEmbeddings = try tensors.floats("embeddings.position_embeddings.weight", shape: [configuration.maximumPositions, hidden])
        tokenTypeEmbeddings = try tensors.floats("embeddings.token_type_embeddings.weight", shape: [configuration.tokenTypeCount, hidden])
        layerNorm = try LayerNorm(tensors, "embeddings.LayerNorm", features: hidden, epsilon: configuration.layerNormEpsilon)
    }

    /// Returns the normalized input embeddings of every token in the batch, packed.
    /// - Throws: `EncoderInputError` for an id, type or length the model cannot embed.
    func callAsFunction(_ batch: EncoderBatch) throws -> Matrix {
        let hidden = configuration.hiddenSize
        let offsets = batch.rowOffsets
        var output = Matrix(rows: offsets.last ?? 0, columns: hidden)
        try output.values.withUnsafeMutableBufferPointer { out in
            for (sequence, ids) in batch.tokenIDs.enumerated() {
                guard ids.count <= configuration.maximumPositions else {
                    throw EncoderInputError.sequenceTooLong(sequence: sequence, length: ids.count, maximum: configuration.maximumPositions)
                }
                let types = batch.tokenTypeIDs?[sequence] ?? [Int](repeating: 0, count: ids.count)
                guard types.count == ids.count else {
                    throw EncoderInputError.shapeMismatch("sequence \(sequence) has \(ids.count) tokens but \(types.count) token types")
                }
                for (position, id) in ids.enumerated() {
                    try embed(id: id, type: types[position], position: position, sequence: sequence,
                              into: out.baseAddress! + (offsets[sequence] + position) * hidden)
                }
            }
        }
        if let extra = batch.extraEmbeddings {
            guard extra.rows == output.rows, extra.columns == hidden else {
                throw EncoderInputError.shapeMismatch("extra embeddings are \(extra.rows)x\(extra.columns), tokens are \(output.rows)x\(hidden)")
            }
            output.add(extra)
        }
        layerNorm.apply(&output)
        return output
    }

    private func embed(id: Int, type: Int, position: Int, sequence: Int, into row: UnsafeMutablePointer<Float>) throws {
        let hidden = configuration.hiddenSize
        guard (0 ..< configuration.vocabularySize).contains(id) else {
            throw EncoderInputError.tokenIDOutOfRange(sequence: sequence, position: position, id: id, vocabularySize: configuration.vocabularySize)
        }
        guard (0 ..< configuration.tokenTypeCount).contains(type) else {
            throw EncoderInputError.tokenTypeOutOfRange(sequence: sequence, position: position, id: type, typeCount: configuration.tokenTypeCount)
        }
        for column in 0 ..< hidden {
            // The same order of additions as transformers' BertEmbeddings.
            row[column] = (wordEmbeddings[id * hidden + column] + tokenTypeEmbeddings[type * hidden + column])
                + positionEmbeddings[position * hidden + column]
        }
    }
}
