/// Named tensors of a checkpoint, looked up with or without a model prefix.
///
/// Hugging Face checkpoints name the encoder's tensors either as `BertModel` writes them
/// (`embeddings.word_embeddings.weight`) or with the `bert.` prefix that task models add. The
/// store accepts both, so layer code always requests the bare name.
public struct TensorStore: Sendable {
    public let file: SafeTensorsFile
    private let prefixes: [String]

    /// - Parameter prefixes: prefixes tried in order after the bare name (default `bert.`).
    public init(file: SafeTensorsFile, prefixes: [String] = ["bert."]) {
        self.file = file
        self.prefixes = prefixes
    }

    public var path: String { file.path }

    /// Returns whether a tensor of that name exists (bare or prefixed).
    public func contains(_ name: String) -> Bool { resolve(name) != nil }

    /// Returns the tensor as `Float`s after checking its shape.
    /// - Throws: `CheckpointError` when the tensor is missing or its shape differs from `shape`.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        guard let resolved = resolve(name), let entry = file.entries[resolved] else {
            throw CheckpointError(path: path, problem: "has no tensor named '\(name)'")
        }
        guard entry.shape == shape else {
            throw CheckpointError(path: path, problem: "tensor '\(resolved)' has shape \(entry.shape), expected \(shape)")
        }
        return try file.floats(resolved)
    }

    private func resolve(_ name: String) -> String? {
        if file.entries[name] != nil { return name }
        return prefixes.map { $0 + name }.first { file.entries[$0] != nil }
    }
}
