import Foundation
import SpecTagArguments
import SpecTagModels
import SpecTagSpeculation

/// The options every command that tags text shares: model, drafter, draft length, batch size.
struct TaggerOptions: Sendable {
    static let specs: [OptionSpec] = [
        .option("model", valueName: "dir", help: "Model folder (config.json, vocab.txt or tokenizer.json, model.safetensors, spectag.json). Default: the shipped models/\(ModelLocator.defaultModelName).", environment: "SPECTAG_MODEL"),
        .option("drafter", valueName: "name", help: "Drafter for speculative tagging: head (the model's drafting head), lexical (the shipped lexical drafter) or none (greedy decoding, the reference).", default: "head", environment: "SPECTAG_DRAFTER"),
        .option("lexical-drafter", valueName: "file", help: "Lexical drafter file for --drafter lexical. Default: the shipped models/\(DrafterFactory.defaultLexicalFile).", environment: "SPECTAG_LEXICAL_DRAFTER"),
        .option("max-draft", short: "k", valueName: "n", help: "Maximum number of drafted tags per sentence per verification pass.", default: 8, environment: "SPECTAG_MAX_DRAFT"),
        .option("batch-size", valueName: "n", help: "Sentences encoded and decoded together.", default: 32, environment: "SPECTAG_BATCH_SIZE"),
    ]

    var modelPath: String?
    var drafter: String
    var lexicalDrafterPath: String?
    var maximumDraft: Int
    var batchSize: Int

    /// Options for a benchmark that picks drafters itself.
    static func forBenchmark(modelPath: String?, lexicalPath: String?) throws -> TaggerOptions {
        TaggerOptions(modelPath: modelPath, drafter: "none", lexicalDrafterPath: lexicalPath, maximumDraft: 0, batchSize: 32)
    }

    init(modelPath: String?, drafter: String, lexicalDrafterPath: String?, maximumDraft: Int, batchSize: Int) {
        self.modelPath = modelPath
        self.drafter = drafter
        self.lexicalDrafterPath = lexicalDrafterPath
        self.maximumDraft = maximumDraft
        self.batchSize = batchSize
    }

    init(_ arguments: ParsedArguments) throws {
        modelPath = try arguments.text("model")
        drafter = try arguments.required("drafter")
        lexicalDrafterPath = try arguments.text("lexical-drafter")
        maximumDraft = try arguments.required("max-draft")
        batchSize = try arguments.required("batch-size")
        guard maximumDraft >= 0 else { throw UsageError("--max-draft must be 0 or more, got \(maximumDraft)") }
        guard batchSize >= 1 else { throw UsageError("--batch-size must be at least 1, got \(batchSize)") }
        guard DrafterFactory.names.contains(drafter) else {
            throw UsageError("--drafter must be one of \(DrafterFactory.names.joined(separator: ", ")); got '\(drafter)'")
        }
    }

    /// Loads the model named by `--model` or the shipped default.
    /// - Throws: `CLIError` when no model folder is found, or the loader's error naming the file.
    func loadModel() throws -> TargetModel {
        guard let folder = ModelLocator.resolve(modelPath, relativePath: ModelLocator.defaultModelName) else {
            throw CLIError("no model folder found: pass --model DIR or set SPECTAG_MODEL (the default is models/\(ModelLocator.defaultModelName) in the repository)")
        }
        return try TargetModel(folder: folder)
    }

    /// Loads the model and drafter and returns a tagger.
    func makeTagger() throws -> TextTagger {
        let model = try loadModel()
        let drafter = try DrafterFactory.make(drafter, model: model, lexicalPath: lexicalDrafterPath)
        return TextTagger(model: model, drafter: drafter, maximumDraft: maximumDraft, batchSize: batchSize)
    }
}

/// An error of the command-line front end, printed as it is.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
