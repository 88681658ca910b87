/// The encoder's view of one sentence, as the tag decoder and the drafting head read it.
public struct EncodedSentence: Sendable {
    /// The final hidden state of each word's first subword, `[words, hidden]`.
    public var wordStates: Matrix
    /// The final hidden state of the (first chunk's) `[CLS]` token.
    public var clsState: [Float]
    /// The word-shape class index of each word.
    public var wordShapes: [Int]

    public var wordCount: Int { wordStates.rows }

    public init(wordStates: Matrix, clsState: [Float], wordShapes: [Int]) {
        precondition(wordShapes.count == wordStates.rows, "one word shape per word")
        self.wordStates = wordStates
        self.clsState = clsState
        self.wordShapes = wordShapes
    }
}
