import Foundation

/// The feed-forward activations that Hugging Face BERT configurations name in `hidden_act`.
public enum Activation: String, Sendable, CaseIterable {
    /// GELU in its exact form, `x Φ(x) = x (1 + erf(x / √2)) / 2`.
    case gelu
    /// GELU's tanh approximation (`gelu_new`, `gelu_pytorch_tanh` in `transformers`).
    case geluTanh = "gelu_new"
    case relu

    /// Maps a `hidden_act` value from `config.json`, or returns nil for an unsupported one.
    public init?(configName: String) {
        switch configName {
        case "gelu": self = .gelu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": self = .geluTanh
        case "relu": self = .relu
        default: return nil
        }
    }

    /// Applies the activation to every element, in place.
    public func apply(_ matrix: inout Matrix) {
        matrix.values.withUnsafeMutableBufferPointer { buffer in
            switch self {
            case .gelu:
                VectorMath.transform(buffer) { x in 0.5 * x * (1 + VectorMath.erf(x * 0.70710678118654752)) }
            case .geluTanh:
                for index in buffer.indices {
                    let x = buffer[index]
                    buffer[index] = 0.5 * x * (1 + tanhf(0.79788456080286536 * (x + 0.044715 * x * x * x)))
                }
            case .relu:
                for index in buffer.indices where buffer[index] < 0 { buffer[index] = 0 }
            }
        }
    }
}
