/// One causal layer of the tag decoder (`tagger.layers.N`), PyTorch's
/// `nn.TransformerEncoderLayer` with `norm_first=False`, GELU and a causal mask.
struct TagDecoderLayer: Sendable {
    let width: Int
    let heads: Int
    /// `self_attn.in_proj_weight` and `in_proj_bias`: query, key and value stacked.
    let inputProjection: Linear
    /// `self_attn.out_proj`.
    let outputProjection: Linear
    let linear1: Linear
    let linear2: Linear
    let norm1: LayerNorm
    let norm2: LayerNorm

    init(_ tensors: TensorStore, _ prefix: String, width: Int, heads: Int, feedForwardSize: Int, epsilon: Float) throws {
        self.width = width
        self.heads = heads
        inputProjection = Linear(
            weight: try tensors.floats("\(prefix).self_attn.in_proj_weight", shape: [3 * width, width]),
            bias: try tensors.floats("\(prefix).self_attn.in_proj_bias", shape: [3 * width]),
            inputFeatures: width, outputFeatures: 3 * width
        )
        outputProjection = try Linear(tensors, "\(prefix).self_attn.out_proj", inputFeatures: width, outputFeatures: width)
        linear1 = try Linear(tensors, "\(prefix).linear1", inputFeatures: width, outputFeatures: feedForwardSize)
        linear2 = try Linear(tensors, "\(prefix).linear2", inputFeatures: feedForwardSize, outputFeatures: width)
        norm1 = try LayerNorm(tensors, "\(prefix).norm1", features: width, epsilon: epsilon)
        norm2 = try LayerNorm(tensors, "\(prefix).norm2", features: width, epsilon: epsilon)
    }

    /// Runs the layer over new positions of several sentences at once.
    ///
    /// `input` contains the new rows of every segment, one segment after another. Each segment's keys
    /// and values are written into its cache at positions `start ..< start + count`, and its
    /// queries attend to cache positions `0 ... start + i`.
    func callAsFunction(_ input: Matrix, segments: [DecoderSegment], caches: inout [DecoderState], layer: Int) -> Matrix {
        let projected = inputProjection(input)
        var context = Matrix(rows: input.rows, columns: width)
        let longest = segments.map { $0.start + $0.count }.max() ?? 0
        var scratch = [Float](repeating: 0, count: longest * (segments.map(\.count).max() ?? 0))
        var row = 0
        for segment in segments {
            caches[segment.state].store(projected, rows: row ..< row + segment.count, at: segment.start, layer: layer)
            attend(projected, row: row, segment: segment, cache: caches[segment.state], layer: layer, into: &context, scratch: &scratch)
            row += segment.count
        }
        let attended = norm1.applyResidual(outputProjection(context), input)
        var expanded = linear1(attended)
        Activation.gelu.apply(&expanded)
        return norm2.applyResidual(linear2(expanded), attended)
    }

    private func attend(
        _ projected: Matrix, row: Int, segment: DecoderSegment, cache: DecoderState, layer: Int,
        into context: inout Matrix, scratch: inout [Float]
    ) {
        projected.values.withUnsafeBufferPointer { qkv in
            cache.keys[layer].withUnsafeBufferPointer { keys in
                cache.values[layer].withUnsafeBufferPointer { values in
                    context.values.withUnsafeMutableBufferPointer { out in
                        scratch.withUnsafeMutableBufferPointer { scratch in
                            let inputs = AttentionInputs(
                                queries: qkv.baseAddress! + row * 3 * width, queryStride: 3 * width, queryCount: segment.count,
                                keys: keys.baseAddress!, values: values.baseAddress!, keyValueStride: width,
                                keyCount: segment.start + segment.count, heads: heads, headSize: width / heads,
                                keyBias: nil, causalOffset: segment.start
                            )
                            Attention.attend(inputs, output: out.baseAddress! + row * width, outputStride: width, scratch: scratch.baseAddress!)
                        }
                    }
                }
            }
        }
    }
}

/// New decoder positions of one sentence within a batched pass.
struct DecoderSegment {
    /// Index of the sentence's `DecoderState`.
    var state: Int
    /// First new position.
    var start: Int
    /// Number of new positions.
    var count: Int
}
