/// Layer normalization over the last dimension, as `torch.nn.LayerNorm` computes it
/// (biased variance, `eps` added inside the square root).
public struct LayerNorm: Sendable {
    public let weight: [Float]
    public let bias: [Float]
    public let epsilon: Float

    public init(weight: [Float], bias: [Float], epsilon: Float) {
        precondition(weight.count == bias.count, "LayerNorm weight and bias sizes differ")
        self.weight = weight
        self.bias = bias
        self.epsilon = epsilon
    }

    /// Loads `PREFIX.weight` and `PREFIX.bias` from a checkpoint.
    /// - Throws: `CheckpointError` when a tensor is missing or has an unexpected shape.
    public init(_ tensors: TensorStore, _ prefix: String, features: Int, epsilon: Float) throws {
        self.init(
            weight: try tensors.floats("\(prefix).weight", shape: [features]),
            bias: try tensors.floats("\(prefix).bias", shape: [features]),
            epsilon: epsilon
        )
    }

    /// Normalizes every row of `matrix` in place.
    public func apply(_ matrix: inout Matrix) {
        let width = matrix.columns
        precondition(width == weight.count, "LayerNorm expects \(weight.count) features, got \(width)")
        forEachRow(of: &matrix) { x, _, gamma, beta in
            let mean = VectorMath.sum(x, count: width) / Float(width)
            normalize(x, width: width, mean: mean, gamma, beta)
        }
    }

    /// Returns `norm(input + residual)`: the residual sum followed by normalization.
    ///
    /// `input` is consumed so that a temporary, such as a dense layer's output, is summed and
    /// normalized in its own storage instead of being copied first.
    public func applyResidual(_ input: consuming Matrix, _ residual: Matrix) -> Matrix {
        let width = input.columns
        precondition(input.rows == residual.rows && width == residual.columns, "matrix shapes differ")
        precondition(width == weight.count, "LayerNorm expects \(weight.count) features, got \(width)")
        var sum = input
        residual.values.withUnsafeBufferPointer { residualBuffer in
            guard let residualBase = residualBuffer.baseAddress else { return }
            forEachRow(of: &sum) { x, row, gamma, beta in
                let total = VectorMath.addInPlaceAndSum(x, residualBase + row * width, count: width)
                normalize(x, width: width, mean: total / Float(width), gamma, beta)
            }
        }
        return sum
    }

    /// Calls `body` with the start and index of each row of `matrix`, and the weight and bias.
    @inline(__always)
    private func forEachRow(
        of matrix: inout Matrix,
        _ body: (UnsafeMutablePointer<Float>, Int, UnsafePointer<Float>, UnsafePointer<Float>) -> Void
    ) {
        let width = matrix.columns
        let rows = matrix.rows
        matrix.values.withUnsafeMutableBufferPointer { buffer in
            weight.withUnsafeBufferPointer { gamma in
                bias.withUnsafeBufferPointer { beta in
                    guard let base = buffer.baseAddress, let gamma = gamma.baseAddress, let beta = beta.baseAddress else { return }
                    for row in 0 ..< rows {
                        body(base + row * width, row, gamma, beta)
                    }
                }
            }
        }
    }

    /// Normalizes one row of `width` values whose mean is `mean`, in place.
    @inline(__always)
    private func normalize(
        _ x: UnsafeMutablePointer<Float>,
        width: Int,
        mean: Float,
        _ gamma: UnsafePointer<Float>,
        _ beta: UnsafePointer<Float>
    ) {
        let squares = VectorMath.sumOfSquaredDeviations(x, count: width, mean: mean)
        let inverse = 1 / (squares / Float(width) + epsilon).squareRoot()
        typealias Vector = VectorMath.Vector
        let meanVector = Vector(repeating: mean)
        let inverseVector = Vector(repeating: inverse)
        var index = 0
        while index + Vector.scalarCount <= width {
            let value = VectorMath.load(x + index)
            let result = (value - meanVector) * inverseVector * VectorMath.load(gamma + index) + VectorMath.load(beta + index)
            VectorMath.store(result, to: x + index)
            index += Vector.scalarCount
        }
        while index < width {
            x[index] = (x[index] - mean) * inverse * gamma[index] + beta[index]
            index += 1
        }
    }
}
