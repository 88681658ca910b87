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
        matrix.values.withUnsafeMutableBufferPointer { buffer in
            weight.withUnsafeBufferPointer { gamma in
                bias.withUnsafeBufferPointer { beta in
                    for row in 0 ..< matrix.rows {
                        let x = UnsafeMutableBufferPointer(rebasing: buffer[row * width ..< (row + 1) * width])
                        normalize(x, gamma, beta)
                    }
                }
            }
        }
    }

    /// Returns `norm(a + b)`: the residual sum followed by normalization.
    public func applyResidual(_ input: Matrix, _ residual: Matrix) -> Matrix {
        var sum = input
        sum.add(residual)
        apply(&sum)
        return sum
    }

    @inline(__always)
    private func normalize(
        _ x: UnsafeMutableBufferPointer<Float>,
        _ gamma: UnsafeBufferPointer<Float>,
        _ beta: UnsafeBufferPointer<Float>
    ) {
        var sum: Float = 0
        for value in x { sum += value }
        let mean = sum / Float(x.count)
        var squares: Float = 0
        for value in x {
            let centered = value - mean
            squares += centered * centered
        }
        let inverse = 1 / (squares / Float(x.count) + epsilon).squareRoot()
        for index in x.indices {
            x[index] = (x[index] - mean) * inverse * gamma[index] + beta[index]
        }
    }
}
