import Foundation

// One type per `transformers` BertLayer submodule, named like the checkpoint's tensors.

/// `attention.self`: the query, key and value projections, fused into one matrix product.
struct BertSelfAttention: Sendable {
    let configuration: BertConfiguration
    /// `query`, `key` and `value` stacked into one `[3 * hidden, hidden]` layer.
    let queryKeyValue: Linear

    init(_ tensors: TensorStore, _ prefix: String, _ configuration: BertConfiguration) throws {
        let hidden = configuration.hiddenSize
        self.configuration = configuration
        var weight: [Float] = []
        var bias: [Float] = []
        for name in ["query", "key", "value"] {
            let part = try Linear(tensors, "\(prefix).\(name)", inputFeatures: hidden, outputFeatures: hidden)
            weight += part.weight
            bias += part.bias
        }
        queryKeyValue = Linear(weight: weight, bias: bias, inputFeatures: hidden, outputFeatures: 3 * hidden)
    }

    /// Returns the attention context of every token, `[tokens, hidden]`.
    func callAsFunction(_ states: Matrix, rowOffsets: [Int], keyBias: [[Float]?]) -> Matrix {
        let hidden = configuration.hiddenSize
        let projected = queryKeyValue(states)
        var context = Matrix(rows: states.rows, columns: hidden)
        let longest = zip(rowOffsets, rowOffsets.dropFirst()).map { $1 - $0 }.max() ?? 0
        var scratch = [Float](repeating: 0, count: longest * longest)
        projected.values.withUnsafeBufferPointer { qkv in
            context.values.withUnsafeMutableBufferPointer { out in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    let (outBase, scratchBase) = (out.baseAddress!, scratch.baseAddress!)
                    for sequence in 0 ..< rowOffsets.count - 1 {
                        let start = rowOffsets[sequence]
                        let length = rowOffsets[sequence + 1] - start
                        let base = qkv.baseAddress! + start * 3 * hidden
                        let run = { (bias: UnsafePointer<Float>?) in
                            let inputs = AttentionInputs(
                                queries: base, queryStride: 3 * hidden, queryCount: length,
                                keys: base + hidden, values: base + 2 * hidden, keyValueStride: 3 * hidden,
                                keyCount: length, heads: configuration.headCount, headSize: configuration.headSize,
                                keyBias: bias, causalOffset: nil
                            )
                            Attention.attend(inputs, output: outBase + start * hidden, outputStride: hidden, scratch: scratchBase)
                        }
                        if let bias = keyBias[sequence] {
                            bias.withUnsafeBufferPointer { run($0.baseAddress) }
                        } else {
                            run(nil)
                        }
                    }
                }
            }
        }
        return context
    }
}

/// `attention.output`: projection, residual and LayerNorm.
struct BertSelfOutput: Sendable {
    let dense: Linear
    let layerNorm: LayerNorm

    init(_ tensors: TensorStore, _ prefix: String, _ configuration: BertConfiguration) throws {
        let hidden = configuration.hiddenSize
        dense = try Linear(tensors, "\(prefix).dense", inputFeatures: hidden, outputFeatures: hidden)
        layerNorm = try LayerNorm(tensors, "\(prefix).LayerNorm", features: hidden, epsilon: configuration.layerNormEpsilon)
    }

    func callAsFunction(_ context: Matrix, residual: Matrix) -> Matrix {
        layerNorm.applyResidual(dense(context), residual)
    }
}

/// `intermediate`: the feed-forward expansion and its activation.
struct BertIntermediate: Sendable {
    let dense: Linear
    let activation: Activation

    init(_ tensors: TensorStore, _ prefix: String, _ configuration: BertConfiguration) throws {
        dense = try Linear(tensors, "\(prefix).dense", inputFeatures: configuration.hiddenSize, outputFeatures: configuration.intermediateSize)
        activation = configuration.activation
    }

    func callAsFunction(_ states: Matrix) -> Matrix {
        var expanded = dense(states)
        activation.apply(&expanded)
        return expanded
    }
}

/// `output`: the feed-forward contraction, residual and LayerNorm.
struct BertOutput: Sendable {
    let dense: Linear
    let layerNorm: LayerNorm

    init(_ tensors: TensorStore, _ prefix: String, _ configuration: BertConfiguration) throws {
        dense = try Linear(tensors, "\(prefix).dense", inputFeatures: configuration.intermediateSize, outputFeatures: configuration.hiddenSize)
        layerNorm = try LayerNorm(tensors, "\(prefix).LayerNorm", features: configuration.hiddenSize, epsilon: configuration.layerNormEpsilon)
    }

    func callAsFunction(_ expanded: Matrix, residual: Matrix) -> Matrix {
        layerNorm.applyResidual(dense(expanded), residual)
    }
}

/// `encoder.layer.N`: self-attention followed by the feed-forward block.
struct BertLayer: Sendable {
    let selfAttention: BertSelfAttention
    let attentionOutput: BertSelfOutput
    let intermediate: BertIntermediate
    let output: BertOutput

    init(_ tensors: TensorStore, _ prefix: String, _ configuration: BertConfiguration) throws {
        selfAttention = try BertSelfAttention(tensors, "\(prefix).attention.self", configuration)
        attentionOutput = try BertSelfOutput(tensors, "\(prefix).attention.output", configuration)
        intermediate = try BertIntermediate(tensors, "\(prefix).intermediate", configuration)
        output = try BertOutput(tensors, "\(prefix).output", configuration)
    }

    func callAsFunction(_ states: Matrix, rowOffsets: [Int], keyBias: [[Float]?]) -> Matrix {
        let context = selfAttention(states, rowOffsets: rowOffsets, keyBias: keyBias)
        let attended = attentionOutput(context, residual: states)
        return output(intermediate(attended), residual: attended)
    }
}
