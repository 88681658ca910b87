/// Token sequences to encode together, without padding.
///
/// The encoder packs the sequences one after another into a single matrix, so the dense layers
/// run as one large matrix product while attention runs per sequence over its real length.
/// The result for every real token equals what a padded batch with an attention mask gives.
public struct EncoderBatch: Sendable {
    /// Token ids of each sequence, special tokens included.
    public var tokenIDs: [[Int]]
    /// Token type (segment) ids, the same shape as `tokenIDs`; all zero when nil.
    public var tokenTypeIDs: [[Int]]?
    /// Hugging Face attention masks (1 attends, 0 is masked), the same shape as `tokenIDs`;
    /// all ones when nil.
    public var attentionMasks: [[Int]]?
    /// Rows added to the input embeddings before the embedding LayerNorm, one row per token
    /// of the packed batch (spectag's word-shape input); none when nil.
    public var extraEmbeddings: Matrix?

    public init(tokenIDs: [[Int]], tokenTypeIDs: [[Int]]? = nil, attentionMasks: [[Int]]? = nil, extraEmbeddings: Matrix? = nil) {
        self.tokenIDs = tokenIDs
        self.tokenTypeIDs = tokenTypeIDs
        self.attentionMasks = attentionMasks
        self.extraEmbeddings = extraEmbeddings
    }

    /// The packed-row index of each sequence's first token, plus the total row count at the end.
    public var rowOffsets: [Int] {
        var offsets = [0]
        offsets.reserveCapacity(tokenIDs.count + 1)
        for sequence in tokenIDs { offsets.append(offsets[offsets.count - 1] + sequence.count) }
        return offsets
    }
}

/// Final hidden states of an `EncoderBatch`, packed in the same order.
public struct EncoderOutput: Sendable {
    /// `[total tokens, hidden size]`.
    public let hiddenStates: Matrix
    /// Row of each sequence's first token, plus the total row count at the end.
    public let rowOffsets: [Int]

    /// Returns the hidden states of sequence `index`, `[its token count, hidden size]`.
    public func states(ofSequence index: Int) -> Matrix {
        hiddenStates.rows(rowOffsets[index] ..< rowOffsets[index + 1])
    }
}

/// An input the encoder cannot process.
public enum EncoderInputError: Error, Equatable, CustomStringConvertible {
    case tokenIDOutOfRange(sequence: Int, position: Int, id: Int, vocabularySize: Int)
    case tokenTypeOutOfRange(sequence: Int, position: Int, id: Int, typeCount: Int)
    case sequenceTooLong(sequence: Int, length: Int, maximum: Int)
    case shapeMismatch(String)

    public var description: String {
        switch self {
        case let .tokenIDOutOfRange(sequence, position, id, size):
            "token id \(id) at position \(position) of sequence \(sequence) is outside the vocabulary of \(size)"
        case let .tokenTypeOutOfRange(sequence, position, id, count):
            "token type \(id) at position \(position) of sequence \(sequence) is outside 0..<\(count)"
        case let .sequenceTooLong(sequence, length, maximum):
            "sequence \(sequence) has \(length) tokens; the model's position embeddings allow \(maximum)"
        case let .shapeMismatch(detail):
            "encoder inputs do not line up: \(detail)"
        }
    }
}
