import Foundation

/// The contents of a model folder's `spectag.json`: labels, word shapes and the tag decoder's
/// hyperparameters. Keys the loader does not know (training settings, scores) are ignored.
public struct TaggerConfiguration: Sendable, Equatable {
    /// The tag decoder's size.
    public struct Decoder: Sendable, Equatable {
        public var layers: Int
        public var heads: Int
        public var feedForwardSize: Int
        public var layerNormEpsilon: Float
    }

    public var formatVersion: Int
    public var name: String
    /// `wordpiece` (vocab.txt) or `unigram` (tokenizer.json).
    public var tokenizer: String
    /// The encoder's maximum input length in subwords, special tokens included.
    public var maximumSubwords: Int
    /// BIO tags; the index of a tag is its class id in the decoder's output.
    public var tags: [String]
    public var sentimentLabels: [String]
    /// Word-shape class names in index order.
    public var wordShapes: [String]
    /// Whether word-shape embeddings are added to the encoder's input embeddings.
    public var encoderShapeInput: Bool
    public var decoder: Decoder
    /// Whether the checkpoint has a drafting head.
    public var hasDraftHead: Bool

    /// The newest `format_version` this build reads.
    public static let supportedFormatVersion = 1

    /// Reads `spectag.json`.
    /// - Throws: `CheckpointError` naming the file when it is missing, is not JSON, lacks a key,
    ///   or has a format version newer than this build reads.
    public init(contentsOf path: String) throws {
        func fail(_ problem: String) -> CheckpointError { CheckpointError(path: path, problem: problem) }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("not found or unreadable") }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("is not a JSON object")
        }
        func value<T>(_ key: String, in object: [String: Any], as type: T.Type) throws -> T {
            guard let value = object[key] as? T else { throw fail("is missing '\(key)' or it has the wrong type") }
            return value
        }
        formatVersion = try value("format_version", in: json, as: Int.self)
        guard formatVersion <= Self.supportedFormatVersion else {
            throw fail("has format_version \(formatVersion); this spectag reads up to \(Self.supportedFormatVersion)")
        }
        name = try value("name", in: json, as: String.self)
        tokenizer = (json["tokenizer"] as? String) ?? "wordpiece"
        maximumSubwords = (json["max_subwords"] as? Int) ?? 512
        tags = try value("tags", in: json, as: [String].self)
        sentimentLabels = try value("sentiment_labels", in: json, as: [String].self)
        wordShapes = try value("word_shapes", in: json, as: [String].self)
        encoderShapeInput = (json["encoder_shape_input"] as? Bool) ?? false
        hasDraftHead = (json["draft_head"] as? Bool) ?? false
        let decoder = try value("decoder", in: json, as: [String: Any].self)
        self.decoder = Decoder(
            layers: try value("layers", in: decoder, as: Int.self),
            heads: try value("heads", in: decoder, as: Int.self),
            feedForwardSize: try value("ffn", in: decoder, as: Int.self),
            layerNormEpsilon: (decoder["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-5
        )
        guard !tags.isEmpty, !sentimentLabels.isEmpty, !wordShapes.isEmpty, maximumSubwords >= 3 else {
            throw fail("needs non-empty tags, sentiment_labels and word_shapes, and max_subwords of at least 3")
        }
    }
}
