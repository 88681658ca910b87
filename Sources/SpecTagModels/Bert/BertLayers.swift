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
    ///
    /// Sentences are spread over the cores, each core running its sentences' small products
    /// with OpenBLAS on one thread: thousands of tiny `cblas_sgemm` calls per batch cost less
    /// that way than with OpenBLAS's own threads waking for each.
    func callAsFunction(_ states: Matrix, rowOffsets: [Int], keyBias: [[Float]?]) -> Matrix {
        let hidden = configuration.hiddenSize
        let projected = queryKeyValue(states)
        var context = Matrix(rows: states.rows, columns: hidden)
        let sequenceCount = rowOffsets.count - 1
        let longest = zip(rowOffsets, rowOffsets.dropFirst()).map { $1 - $0 }.max() ?? 0
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, sequenceCount))
        var scratch = [Float](repeating: 0, count: max(1, longest * longest) * workers)
        projected.values.withUnsafeBufferPointer { qkv in
            context.values.withUnsafeMutableBufferPointer { out in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    let job = AttentionJob(
                        qkv: qkv.baseAddress!, output: out.baseAddress!, scratch: scratch.baseAddress!,
                        scratchSize: max(1, longest * longest), rowOffsets: rowOffsets, keyBias: keyBias,
                        hidden: hidden, heads: configuration.headCount, headSize: configuration.headSize
                    )
                    BLASInfo.withSingleThread(whenRows: 0) {
                        DispatchQueue.concurrentPerform(iterations: workers) { worker in
                            for sequence in stride(from: worker, to: sequenceCount, by: workers) {
                                job.run(sequence: sequence, worker: worker)
                            }
                        }
                    }
                }
            }
        }
        return context
    }
}

/// One layer's attention over a packed batch; each worker writes only its sentences' rows and
/// its own scratch block.
private struct AttentionJob: @unchecked Sendable {
    let qkv: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let scratch: UnsafeMutablePointer<Float>
    let scratchSize: Int
    let rowOffsets: [Int]
    let keyBias: [[Float]?]
    let hidden: Int
    let heads: Int
    let headSize: Int

    func run(sequence: Int, worker: Int) {
        let start = rowOffsets[sequence]
        let length = rowOffsets[sequence + 1] - start
        let base = qkv + start * 3 * hidden
        let attend = { (bias: UnsafePointer<Float>?) in
            let inputs = AttentionInputs(
                queries: base, queryStride: 3 * hidden, queryCount: length,
                keys: base + hidden, values: base + 2 * hidden, keyValueStride: 3 * hidden,
                keyCount: length, heads: heads, headSize: headSize, keyBias: bias, causalOffset: nil
            )
            Attention.attend(inputs, output: output + start * hidden, outputStride: hidden, scratch: scratch + worker * scratchSize)
        }
        if let bias = keyBias[sequence] {
            bias.withUnsafeBufferPointer { attend($0.baseAddress) }
        } else {
            attend(nil)
        }
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
