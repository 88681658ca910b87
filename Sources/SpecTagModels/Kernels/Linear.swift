import CBLAS

/// A fully connected layer, `y = x Wᵀ + b`, with `W` stored as PyTorch's `nn.Linear` stores it:
/// `[outputFeatures, inputFeatures]`, row-major.
public struct Linear: Sendable {
    public let inputFeatures: Int
    public let outputFeatures: Int
    /// `[outputFeatures, inputFeatures]`, row-major.
    public let weight: [Float]
    /// `[outputFeatures]`.
    public let bias: [Float]

    public init(weight: [Float], bias: [Float], inputFeatures: Int, outputFeatures: Int) {
        precondition(weight.count == inputFeatures * outputFeatures, "Linear weight has the wrong size")
        precondition(bias.count == outputFeatures, "Linear bias has the wrong size")
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        self.weight = weight
        self.bias = bias
    }

    /// Loads `PREFIX.weight` and `PREFIX.bias` from a checkpoint.
    /// - Throws: `CheckpointError` when a tensor is missing or has an unexpected shape.
    public init(_ tensors: TensorStore, _ prefix: String, inputFeatures: Int, outputFeatures: Int) throws {
        self.init(
            weight: try tensors.floats("\(prefix).weight", shape: [outputFeatures, inputFeatures]),
            bias: try tensors.floats("\(prefix).bias", shape: [outputFeatures]),
            inputFeatures: inputFeatures,
            outputFeatures: outputFeatures
        )
    }

    /// Applies the layer to every row of `input`.
    public func callAsFunction(_ input: Matrix) -> Matrix {
        precondition(input.columns == inputFeatures, "Linear expects \(inputFeatures) features, got \(input.columns)")
        // The bias rows are the product's C operand (beta 1), so the output is never zero-filled.
        var output = Matrix(rows: input.rows, repeatingRow: bias)
        guard input.rows > 0 else { return output }
        output.values.withUnsafeMutableBufferPointer { out in
            input.values.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasTrans,
                        Int32(input.rows), Int32(outputFeatures), Int32(inputFeatures),
                        1, x.baseAddress, Int32(inputFeatures),
                        w.baseAddress, Int32(inputFeatures),
                        1, out.baseAddress, Int32(outputFeatures)
                    )
                }
            }
        }
        return output
    }
}
