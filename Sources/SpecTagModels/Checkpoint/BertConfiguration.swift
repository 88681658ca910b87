import Foundation

/// The encoder hyperparameters that a Hugging Face `config.json` holds for a BERT-family model.
public struct BertConfiguration: Sendable, Equatable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var activation: Activation
    public var maximumPositions: Int
    public var tokenTypeCount: Int
    public var layerNormEpsilon: Float

    public var headSize: Int { hiddenSize / headCount }

    public init(
        vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int,
        activation: Activation = .gelu, maximumPositions: Int = 512, tokenTypeCount: Int = 2,
        layerNormEpsilon: Float = 1e-12
    ) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.activation = activation
        self.maximumPositions = maximumPositions
        self.tokenTypeCount = tokenTypeCount
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// Reads `config.json`.
    /// - Throws: `CheckpointError` naming the file when it is missing, is not JSON, lacks a
    ///   required key, names an unsupported `hidden_act` or `position_embedding_type`, or has
    ///   a hidden size that the head count does not divide.
    public init(contentsOf path: String) throws {
        func fail(_ problem: String) -> CheckpointError { CheckpointError(path: path, problem: problem) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail("not found or unreadable")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("is not a JSON object")
        }
        func integer(_ key: String, default value: Int? = nil) throws -> Int {
            if let number = json[key] as? NSNumber { return number.intValue }
            if let value { return value }
            throw fail("is missing the integer '\(key)'")
        }
        let activationName = (json["hidden_act"] as? String) ?? "gelu"
        guard let activation = Activation(configName: activationName) else {
            throw fail("hidden_act '\(activationName)' is not supported; use gelu, gelu_new, gelu_pytorch_tanh or relu")
        }
        let positionType = (json["position_embedding_type"] as? String) ?? "absolute"
        guard positionType == "absolute" else {
            throw fail("position_embedding_type '\(positionType)' is not supported; only absolute is")
        }
        self.init(
            vocabularySize: try integer("vocab_size"),
            hiddenSize: try integer("hidden_size"),
            layerCount: try integer("num_hidden_layers"),
            headCount: try integer("num_attention_heads"),
            intermediateSize: try integer("intermediate_size"),
            activation: activation,
            maximumPositions: try integer("max_position_embeddings", default: 512),
            tokenTypeCount: try integer("type_vocab_size", default: 2),
            layerNormEpsilon: (json["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12
        )
        guard hiddenSize > 0, headCount > 0, hiddenSize % headCount == 0 else {
            throw fail("hidden_size \(hiddenSize) is not a positive multiple of num_attention_heads \(headCount)")
        }
    }
}

extension BertConfiguration {
    /// Floating-point operations of the encoder's matrix products for sequences of these
    /// lengths: the Q, K, V, output and feed-forward projections of every token and the two
    /// attention products of every sequence, counting a multiply-add as two. Embeddings,
    /// LayerNorm, softmax and activations are not counted.
    public func matrixProductOperations(sequenceLengths: [Int]) -> Double {
        let hidden = Double(hiddenSize)
        let perToken = 2 * hidden * (4 * hidden + 2 * Double(intermediateSize))
        let tokens = Double(sequenceLengths.reduce(0, +))
        let attention = sequenceLengths.reduce(0.0) { $0 + 4 * Double($1) * Double($1) * hidden }
        return Double(layerCount) * (tokens * perToken + attention)
    }
}
