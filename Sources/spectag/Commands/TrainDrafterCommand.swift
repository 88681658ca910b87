import Foundation
import SpecTagArguments
import SpecTagEvaluation
import SpecTagModels
import SpecTagSpeculation

/// `spectag train-drafter`: trains the lexical drafter on gold data, on a target model's
/// output (distillation), or on both, and writes the drafter file.
struct TrainDrafterCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "train-drafter",
            abstract: "Train the lexical drafter on CoNLL and PhraseBank data or on a target model's output.",
            discussion: """
                The tagger trains on --conll files and the sentiment classifier on the train split of \
                --phrasebank files (the project's fixed split; the dev split is held out and scored after \
                every epoch). With --distill-text or --distill-conll, the target model (--model) labels \
                the text and the drafter learns the model's own output, mixed with any gold data given. \
                Every 20th labelled sentence is held out to score the agreement with the model.

                Progress goes to standard output: the accuracy of each epoch on the training data and \
                on held-out data, then a summary of the written file.
                """
        )
    }

    static var options: [OptionSpec] {
        [
            .repeated("conll", valueName: "file", help: "CoNLL NER training file (IOB1 or IOB2); repeat for several."),
            .option("conll-dev", valueName: "file", help: "CoNLL NER file held out and scored after every epoch, such as eng.testa."),
            .repeated("phrasebank", valueName: "file", help: "Financial PhraseBank file (sentence@label); repeat for several. Only its train split is trained on."),
            .repeated("distill-text", valueName: "file", help: "Unlabelled text for distillation: one document per line, or a .csv file with a header; repeat for several."),
            .repeated("distill-conll", valueName: "file", help: "CoNLL file whose words (not tags) the target labels for distillation; repeat for several."),
            .option("text-column", valueName: "name", help: "CSV column of --distill-text files. Default: the first column named text, headline or headlines."),
            .option("model", valueName: "dir", help: "Target model folder that labels --distill-text and --distill-conll. Default: the shipped models/\(ModelLocator.defaultModelName).", environment: "SPECTAG_MODEL"),
            .option("max-distill-sentences", valueName: "n", help: "Label at most this many sentences for distillation (0: all).", default: 0),
            .option("epochs", valueName: "n", help: "Training passes over the data.", default: 8),
            .option("seed", valueName: "n", help: "Seed of the shuffling order.", default: 1),
            .option("prune-threshold", valueName: "x", help: "Averaged weights smaller in magnitude are dropped from the file.", default: 0.001),
            .option("batch-size", valueName: "n", help: "Sentences the target model labels together.", default: 32),
            .option("output", short: "o", valueName: "file", help: "Drafter file to write.", required: true),
        ]
    }

    let conllFiles: [String]
    let conllDevFile: String?
    let phraseBankFiles: [String]
    let distillFiles: [String]
    let distillCoNLLFiles: [String]
    let textColumn: String?
    let modelPath: String?
    let maximumDistillSentences: Int
    let trainerConfiguration: LexicalDrafterTrainer.Configuration
    let batchSize: Int
    let output: String

    init(_ arguments: ParsedArguments) throws {
        conllFiles = try arguments.values("conll")
        conllDevFile = try arguments.text("conll-dev")
        phraseBankFiles = try arguments.values("phrasebank")
        distillFiles = try arguments.values("distill-text")
        distillCoNLLFiles = try arguments.values("distill-conll")
        textColumn = try arguments.text("text-column")
        modelPath = try arguments.text("model")
        maximumDistillSentences = try arguments.required("max-distill-sentences")
        batchSize = try arguments.required("batch-size")
        output = try arguments.required("output")
        let epochs: Int = try arguments.required("epochs")
        let pruneThreshold: Float = try arguments.required("prune-threshold")
        trainerConfiguration = LexicalDrafterTrainer.Configuration(
            epochs: epochs, seed: try arguments.required("seed"), pruneThreshold: pruneThreshold)

        guard epochs >= 1 else { throw UsageError("--epochs must be at least 1, got \(epochs)") }
        guard pruneThreshold >= 0 else { throw UsageError("--prune-threshold must be 0 or more, got \(pruneThreshold)") }
        guard batchSize >= 1 else { throw UsageError("--batch-size must be at least 1, got \(batchSize)") }
        guard maximumDistillSentences >= 0 else { throw UsageError("--max-distill-sentences must be 0 or more") }
        let distills = !distillFiles.isEmpty || !distillCoNLLFiles.isEmpty
        guard !conllFiles.isEmpty || distills else {
            throw UsageError("the tagger needs training data: pass --conll FILE, --distill-text FILE or --distill-conll FILE")
        }
        guard !phraseBankFiles.isEmpty || distills else {
            throw UsageError("the sentiment classifier needs training data: pass --phrasebank FILE, --distill-text FILE or --distill-conll FILE")
        }
    }

    func run() async throws {
        let started = Date()
        // Check the output folder first, so that a typo does not cost a whole training run.
        let folder = URL(fileURLWithPath: output).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CLIError("\(output): the output folder \(folder) does not exist")
        }
        let ner = try DrafterTrainingData.readCoNLL(conllFiles)
        let nerDev = try conllDevFile.map { try DrafterTrainingData.readCoNLL([$0]) } ?? []
        let phraseBank = try DrafterTrainingData.readPhraseBank(phraseBankFiles)
        print("NER: \(ner.count) training sentences, \(nerDev.count) held-out sentences")
        print("sentiment: \(phraseBank.train.count) PhraseBank train sentences, \(phraseBank.dev.count) dev sentences held out")

        var drafter: LexicalDrafter
        var metadata = ["conll": fileNames(conllFiles), "phrasebank": fileNames(phraseBankFiles)]
        if distillFiles.isEmpty && distillCoNLLFiles.isEmpty {
            let trainer = LexicalDrafterTrainer(configuration: trainerConfiguration)
            drafter = try trainer.train(
                ner: ner, sentiment: phraseBank.train, heldOutNER: nerDev, heldOutSentiment: phraseBank.dev, progress: printProgress)
        } else {
            let model = try loadModel()
            metadata["distilled_from"] = model.name
            metadata["distill_text"] = fileNames(distillFiles + distillCoNLLFiles)
            drafter = try distill(from: model, goldNER: ner, goldSentiment: phraseBank.train)
        }
        drafter = drafter.addingMetadata(metadata)
        try report(drafter, nerDev: nerDev, sentimentDev: phraseBank.dev)
        try drafter.write(to: URL(fileURLWithPath: output))
        let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        let features = drafter.featureCounts
        print("wrote \(output): \(formatBytes(size)), \(features.tagger) tagger and \(features.sentiment) sentiment features, "
            + String(format: "%.1f s in total", Date().timeIntervalSince(started)))
    }

    // MARK: Distillation

    private func loadModel() throws -> TargetModel {
        guard let folder = ModelLocator.resolve(modelPath, relativePath: ModelLocator.defaultModelName) else {
            throw CLIError("no target model for distillation: pass --model DIR (the default is models/\(ModelLocator.defaultModelName))")
        }
        return try TargetModel(folder: folder)
    }

    private func distill(from model: TargetModel, goldNER: [LexicalDrafterTrainer.NERSentence], goldSentiment: [LexicalDrafterTrainer.SentimentSentence]) throws -> LexicalDrafter {
        var sentences = try DrafterTrainingData.readCoNLL(distillCoNLLFiles).map(\.words)
        sentences += try DrafterTrainingData.readUnlabelledSentences(distillFiles, textColumn: textColumn).filter { !$0.isEmpty }
        if maximumDistillSentences > 0 { sentences = Array(sentences.prefix(maximumDistillSentences)) }
        print("distillation: \(model.name) labels \(sentences.count) sentences")
        var configuration = trainerConfiguration
        configuration.tags = model.tags
        configuration.sentimentLabels = model.sentimentLabels
        let labeler = GreedyTargetLabeler(model: model, batchSize: batchSize)
        return try LexicalDrafterTrainer(configuration: configuration).distill(
            sentences: sentences, labeler: labeler.labels(for:), batchSize: batchSize * 8,
            goldNER: goldNER, goldSentiment: goldSentiment, progress: printProgress)
    }

    // MARK: Output

    private func printProgress(_ event: LexicalDrafterTrainer.Event) {
        switch event {
        case let .labelled(done, total):
            print("labelled \(done)/\(total) sentences")
        case let .epoch(report):
            var line = "\(report.task.rawValue) epoch \(report.epoch)/\(report.epochs): training \(percent(report.trainingAccuracy))"
            if let accuracy = report.heldOutAccuracy {
                line += report.task == .tagger ? ", held-out next tag \(percent(accuracy))" : ", held-out \(percent(accuracy))"
            }
            if let accuracy = report.heldOutGreedyAccuracy { line += ", greedy \(percent(accuracy))" }
            print(line + String(format: " (%.1f s)", report.seconds))
        }
    }

    /// Prints the final scores on the held-out CoNLL file and PhraseBank dev split.
    private func report(_ drafter: LexicalDrafter, nerDev: [LexicalDrafterTrainer.NERSentence], sentimentDev: [LexicalDrafterTrainer.SentimentSentence]) throws {
        if let conllDevFile, !nerDev.isEmpty {
            let accuracy = try drafter.tagAccuracy(on: nerDev)
            let document = try CoNLLReader.read(contentsOf: URL(fileURLWithPath: conllDevFile))
            let tagging = Date()
            let predictions = document.sentences.map { sentence in drafter.tagIDs(for: sentence.words).map { drafter.tags[$0] } }
            let seconds = Date().timeIntervalSince(tagging)
            let scores = try Conlleval.score(document, predictions: predictions, options: ConllevalOptions(documentStarts: .ignore))
            print("\(conllDevFile): next-tag accuracy \(percent(accuracy.nextTag)), greedy tag accuracy \(percent(accuracy.greedy)) "
                + "over \(accuracy.wordCount) words; greedy entity F1 \(String(format: "%.2f", scores.fb1))")
            print(String(format: "greedy drafting of the %d sentences took %.2f s", document.sentences.count, seconds))
        }
        if !sentimentDev.isEmpty {
            let predicted = sentimentDev.map { drafter.sentimentLabels[drafter.sentimentID(for: $0.words)] }
            let evaluation = try SentimentEvaluation(gold: sentimentDev.map(\.label), predicted: predicted)
            print("PhraseBank dev: sentiment accuracy \(percent(evaluation.accuracy)), macro F1 \(String(format: "%.2f", evaluation.macroF1 * 100)) "
                + "over \(sentimentDev.count) sentences")
        }
    }

    private func fileNames(_ paths: [String]) -> String {
        paths.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ",")
    }

    private func percent(_ value: Double) -> String {
        String(format: "%.2f%%", value * 100)
    }

    private func formatBytes(_ bytes: Int) -> String {
        String(format: "%.2f MB", Double(bytes) / 1_000_000)
    }
}
