import Foundation
import SpecTagTokenization

/// A Hugging Face BERT model folder: `config.json`, `model.safetensors` and the tokenizer
/// (`vocab.txt` with an optional `tokenizer_config.json`, or a Unigram `tokenizer.json`).
public struct EncoderCheckpoint: Sendable {
    public let folder: URL
    public let configuration: BertConfiguration
    public let tokenizer: any SubwordTokenizer
    public let tensors: TensorStore
    public let model: BertModel

    /// Loads the folder.
    ///
    /// - Parameter tokenizerKind: `wordpiece` or `unigram`. With `nil`, the kind is the one that
    ///   ``tokenizerKind(in:)`` finds in the folder.
    /// - Throws: `CheckpointError` or `TokenizerError` naming the missing or malformed file.
    public init(folder: URL, tokenizerKind: String? = nil) throws {
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw CheckpointError(path: folder.path, problem: "model folder not found")
        }
        self.folder = folder
        configuration = try BertConfiguration(contentsOf: folder.appendingPathComponent("config.json").path)
        tokenizer = try Self.loadTokenizer(kind: tokenizerKind ?? Self.tokenizerKind(in: folder), folder: folder)
        tensors = TensorStore(file: try SafeTensorsFile(path: folder.appendingPathComponent("model.safetensors").path))
        model = try BertModel(configuration: configuration, tensors: tensors)
        guard tokenizer.vocabularySize <= configuration.vocabularySize else {
            throw CheckpointError(path: folder.appendingPathComponent("config.json").path,
                                  problem: "vocab_size \(configuration.vocabularySize) is smaller than the tokenizer's \(tokenizer.vocabularySize) tokens")
        }
    }

    /// Returns the tokenizer kind of a folder: the `tokenizer` of a readable `spectag.json`,
    /// otherwise `unigram` when the folder has a `tokenizer.json` and no `vocab.txt`, and
    /// `wordpiece` in every other case.
    public static func tokenizerKind(in folder: URL) -> String {
        let spectagFile = folder.appendingPathComponent("spectag.json")
        if let configuration = try? TaggerConfiguration(contentsOf: spectagFile.path) {
            return configuration.tokenizer
        }
        let files = FileManager.default
        let hasVocabulary = files.fileExists(atPath: folder.appendingPathComponent("vocab.txt").path)
        let hasTokenizerFile = files.fileExists(atPath: folder.appendingPathComponent("tokenizer.json").path)
        return hasTokenizerFile && !hasVocabulary ? "unigram" : "wordpiece"
    }

    static func loadTokenizer(kind: String, folder: URL) throws -> any SubwordTokenizer {
        switch kind {
        case "wordpiece":
            let vocabulary = folder.appendingPathComponent("vocab.txt")
            guard FileManager.default.fileExists(atPath: vocabulary.path) else {
                throw CheckpointError(path: vocabulary.path, problem: "not found; a WordPiece model folder needs its vocab.txt")
            }
            return try BertTokenizer(folder: folder)
        case "unigram":
            let file = folder.appendingPathComponent("tokenizer.json")
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw CheckpointError(path: file.path, problem: "not found; a SentencePiece Unigram model folder needs its tokenizer.json")
            }
            return try UnigramTokenizer(folder: folder)
        default:
            throw CheckpointError(path: folder.path, problem: "tokenizer '\(kind)' is not supported; use wordpiece or unigram")
        }
    }
}
