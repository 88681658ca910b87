import Foundation
import SpecTagTokenization

/// spectag's target model, loaded from a model folder (see docs/model-format.md): the tokenizer,
/// the BERT encoder, the autoregressive tag decoder and, when present, the drafting head.
///
/// The model is immutable after loading, so one instance serves many threads.
public struct TargetModel: Sendable {
    public let folder: URL
    public let configuration: TaggerConfiguration
    public let encoderConfiguration: BertConfiguration
    public let tokenizer: any SubwordTokenizer
    public let encoder: BertModel
    public let decoder: TagDecoder
    public let draftingHead: DraftingHead?
    /// `shape_input_embeddings.weight`, `[word shapes + 1, hidden]`, when the encoder takes word shapes.
    let shapeInputEmbeddings: [Float]?
    /// Index of each `word_shapes` name.
    let shapeIndex: [String: Int]

    public var name: String { configuration.name }
    public var tags: [String] { configuration.tags }
    public var sentimentLabels: [String] { configuration.sentimentLabels }

    /// Loads the model folder at `folder`.
    /// - Throws: `CheckpointError` (or the tokenizer's error) naming the file that is missing or
    ///   malformed: `spectag.json`, `config.json`, `vocab.txt`, `model.safetensors`.
    public init(folder: URL) throws {
        self.folder = folder
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw CheckpointError(path: folder.path, problem: "model folder not found")
        }
        configuration = try TaggerConfiguration(contentsOf: path("spectag.json"))
        let checkpoint = try EncoderCheckpoint(folder: folder, tokenizerKind: configuration.tokenizer)
        encoderConfiguration = checkpoint.configuration
        tokenizer = checkpoint.tokenizer
        encoder = checkpoint.model
        let tensors = checkpoint.tensors
        let width = encoderConfiguration.hiddenSize
        decoder = try TagDecoder(tensors, configuration: configuration, width: width)
        draftingHead = configuration.hasDraftHead ? try DraftingHead(tensors, configuration: configuration, width: width) : nil
        shapeInputEmbeddings = configuration.encoderShapeInput
            ? try tensors.floats("shape_input_embeddings.weight", shape: [configuration.wordShapes.count + 1, width]) : nil
        shapeIndex = Dictionary(uniqueKeysWithValues: configuration.wordShapes.enumerated().map { ($1, $0) })
        let unknownShapes = Set(WordShape.allCases.map(\.rawValue)).subtracting(shapeIndex.keys)
        guard unknownShapes.isEmpty else {
            throw CheckpointError(path: path("spectag.json"), problem: "word_shapes lacks \(unknownShapes.sorted())")
        }
    }

    // MARK: Encoding

    /// Runs the encoder over sentences given as words, batched, and returns each sentence's
    /// word states, `[CLS]` state and word shapes.
    /// - Throws: `TokenizerError` or `EncoderInputError` when the input cannot be encoded.
    public func encode(_ sentences: [[String]]) throws -> [EncodedSentence] {
        var chunks: [(sentence: Int, encoding: Encoding)] = []
        let shapes = sentences.map { words in words.map { shapeIndex[WordShape(of: $0).rawValue]! } }
        for (index, words) in sentences.enumerated() {
            for encoding in try tokenizer.encodeInChunks(words: words, maxLength: configuration.maximumSubwords) {
                chunks.append((index, encoding))
            }
        }
        let batch = EncoderBatch(tokenIDs: chunks.map(\.encoding.ids), extraEmbeddings: shapeRows(chunks, shapes: shapes))
        let output = try encoder.encode(batch)
        return collect(output, chunks: chunks, sentences: sentences, shapes: shapes)
    }

    /// Rows of `shape_input_embeddings` for every token: the word's shape, or the special row.
    private func shapeRows(_ chunks: [(sentence: Int, encoding: Encoding)], shapes: [[Int]]) -> Matrix? {
        guard let table = shapeInputEmbeddings else { return nil }
        let width = encoderConfiguration.hiddenSize
        let specialRow = configuration.wordShapes.count
        var rows = Matrix(rows: chunks.reduce(0) { $0 + $1.encoding.count }, columns: width)
        var row = 0
        for (sentence, encoding) in chunks {
            for word in encoding.wordIndices {
                let shape = word.map { shapes[sentence][$0] } ?? specialRow
                for column in 0 ..< width { rows[row, column] = table[shape * width + column] }
                row += 1
            }
        }
        return rows
    }

    private func collect(
        _ output: EncoderOutput, chunks: [(sentence: Int, encoding: Encoding)], sentences: [[String]], shapes: [[Int]]
    ) -> [EncodedSentence] {
        let width = encoderConfiguration.hiddenSize
        var wordStates = sentences.map { Matrix(rows: $0.count, columns: width) }
        var clsStates = [[Float]?](repeating: nil, count: sentences.count)
        for (chunkIndex, chunk) in chunks.enumerated() {
            let firstRow = output.rowOffsets[chunkIndex]
            if clsStates[chunk.sentence] == nil { clsStates[chunk.sentence] = output.hiddenStates.row(firstRow) }
            var seen = Set<Int>()
            for (position, word) in chunk.encoding.wordIndices.enumerated() {
                guard let word, seen.insert(word).inserted else { continue }
                for column in 0 ..< width {
                    wordStates[chunk.sentence][word, column] = output.hiddenStates[firstRow + position, column]
                }
            }
        }
        return sentences.indices.map { index in
            EncodedSentence(wordStates: wordStates[index], clsState: clsStates[index] ?? [Float](repeating: 0, count: width), wordShapes: shapes[index])
        }
    }
}
