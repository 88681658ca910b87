import Foundation
import SpecTagArguments
import SpecTagEvaluation
import SpecTagSpeculation

/// `spectag eval`: scores the tagger on labelled files.
struct EvalCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "eval",
            abstract: "Score the tagger on CoNLL files (like conlleval) or on labelled sentiment files.",
            subcommands: [EvalConllCommand.self, EvalSentimentCommand.self]
        )
    }

    init(_ arguments: ParsedArguments) {}
}

/// Options shared by the `eval` subcommands.
enum EvalFormat: String {
    case text, json

    static let spec = OptionSpec.option("format", valueName: "text|json", help: "Report as text, or as one JSON object for scripts.", default: "text")

    init(_ arguments: ParsedArguments) throws {
        let name: String = try arguments.required("format")
        guard let format = EvalFormat(rawValue: name) else { throw UsageError("--format must be text or json, got '\(name)'") }
        self = format
    }
}

/// Encodes a value as pretty-printed JSON with sorted keys.
func prettyJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

// MARK: - CoNLL

/// `spectag eval conll FILE`.
struct EvalConllCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "conll",
            abstract: "Tag a CoNLL column file and print conlleval's report, a per-tag report and decoding statistics.",
            discussion: """
                The gold NER tag is the last column; -DOCSTART- lines and blank lines between sentences \
                are kept. IOB1 files (CoNLL-2003's original tags) are converted to BIO before scoring, \
                which does not change entities. The entity-level numbers are conlleval's: a chunk starts \
                at B-X, or at I-X after O or another type. Like conlleval, each -DOCSTART- line counts as \
                one token in the token count and accuracy.
                """
        )
    }

    static var options: [OptionSpec] {
        [
            .positional("file", help: "CoNLL file: columns separated by whitespace, gold tag last."),
            .option("scheme", valueName: "detect|iob1|iob2", help: "Tag scheme of the gold column.", default: "detect"),
            .option("predictions", valueName: "out", help: "Write the input columns plus the predicted tag to this file, for conlleval itself."),
            .flag("compare-greedy", help: "Also decode greedily, check the output is identical and report the speedup.", default: true),
            EvalFormat.spec,
        ] + TaggerOptions.specs
    }

    let file: String
    let scheme: TagSchemeSelection
    let predictionsPath: String?
    let compareGreedy: Bool
    let format: EvalFormat
    let tagger: TaggerOptions

    init(_ arguments: ParsedArguments) throws {
        file = try arguments.required("file")
        switch try arguments.required("scheme", as: String.self) {
        case "detect": scheme = .detect
        case "iob1": scheme = .forced(.iob1)
        case "iob2": scheme = .forced(.iob2)
        case let other: throw UsageError("--scheme must be detect, iob1 or iob2, got '\(other)'")
        }
        predictionsPath = try arguments.text("predictions")
        compareGreedy = try arguments.flag("compare-greedy")
        format = try EvalFormat(arguments)
        tagger = try TaggerOptions(arguments)
    }

    struct Report: Encodable {
        var file: String
        var model: String
        var conlleval: ConllevalScores
        var classificationReport: ClassificationReport
        var decoding: DecodingReport
    }

    func run() async throws {
        let document = try CoNLLReader.read(contentsOf: URL(fileURLWithPath: file), options: CoNLLReadOptions(scheme: scheme))
        let tagger = try self.tagger.makeTagger()
        let sentences = document.sentences
        let (result, timings) = try tagger.tagSentences(sentences.map(\.words), compareWithGreedy: compareGreedy)
        let predictions = result.sentences.map { $0.tags.map { tagger.model.tags[$0] } }
        if let predictionsPath {
            try CoNLLPredictionWriter.write(document, predictions: predictions, to: URL(fileURLWithPath: predictionsPath))
        }
        let report = Report(
            file: file,
            model: tagger.model.name,
            conlleval: try Conlleval.score(document, predictions: predictions),
            classificationReport: try ClassificationReport(gold: sentences.flatMap(\.goldTags), predicted: predictions.flatMap { $0 }, labels: tagger.model.tags),
            decoding: DecodingReport(drafter: tagger.drafterName, maxDraft: tagger.decoder.maximumDraft, total: result.total, timings: timings)
        )
        switch format {
        case .json:
            print(try prettyJSON(report))
        case .text:
            print(report.conlleval.formatted(), terminator: report.conlleval.formatted().hasSuffix("\n") ? "" : "\n")
            print("")
            print(report.classificationReport.formatted(includesMicroAverage: true))
            print("")
            report.decoding.lines.forEach { print($0) }
        }
    }
}

// MARK: - Sentiment

/// `spectag eval sentiment FILE`.
struct EvalSentimentCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "sentiment",
            abstract: "Tag labelled sentences and print accuracy, macro-F1, per-class scores and the confusion matrix.",
            discussion: """
                Reads Financial PhraseBank files (sentence@label per line, Latin-1 or UTF-8) or CSV files \
                with a text and a label column. --split dev or train keeps only that part of spectag's \
                fixed PhraseBank split: a sentence is in dev when the FNV-1a 64-bit hash of its UTF-8 \
                text is divisible by 5.
                """
        )
    }

    static var options: [OptionSpec] {
        [
            .positional("file", help: "PhraseBank .txt file or CSV file."),
            .option("input-format", valueName: "phrasebank|csv", help: "File format; by default .csv files are CSV and others PhraseBank."),
            .option("text-column", valueName: "name|index", help: "CSV column with the text (a header name or a 0-based index).", default: "text"),
            .option("label-column", valueName: "name|index", help: "CSV column with the label.", default: "label"),
            .option("label-map", valueName: "raw=label,...", help: "Maps raw CSV labels to negative, neutral and positive, e.g. 0=negative,1=positive,2=neutral."),
            .option("split", valueName: "all|train|dev", help: "Part of spectag's fixed PhraseBank split to score.", default: "all"),
            .option("digits", valueName: "n", help: "Decimal places of the scores in the text report (scikit-learn prints 2).", default: 4),
            EvalFormat.spec,
        ] + TaggerOptions.specs
    }

    let file: String
    let isCSV: Bool
    let csvOptions: SentimentCSVOptions
    let split: String
    let digits: Int
    let format: EvalFormat
    let tagger: TaggerOptions

    init(_ arguments: ParsedArguments) throws {
        file = try arguments.required("file")
        let inputFormat = try arguments.text("input-format") ?? (file.lowercased().hasSuffix(".csv") ? "csv" : "phrasebank")
        guard ["csv", "phrasebank"].contains(inputFormat) else { throw UsageError("--input-format must be phrasebank or csv") }
        isCSV = inputFormat == "csv"
        let mapping = try arguments.text("label-map").map { try LabelMapping(parsing: $0) }
        csvOptions = SentimentCSVOptions(
            textColumn: CSVColumn(parsing: try arguments.required("text-column")),
            labelColumn: CSVColumn(parsing: try arguments.required("label-column")),
            labelMapping: mapping
        )
        split = try arguments.required("split")
        guard ["all", "train", "dev"].contains(split) else { throw UsageError("--split must be all, train or dev") }
        digits = try arguments.required("digits")
        guard (1 ... 8).contains(digits) else { throw UsageError("--digits must be between 1 and 8, got \(digits)") }
        format = try EvalFormat(arguments)
        tagger = try TaggerOptions(arguments)
    }

    struct Report: Encodable {
        var file: String
        var split: String
        var model: String
        var sentiment: SentimentEvaluation
        var decoding: DecodingReport
    }

    func run() async throws {
        let url = URL(fileURLWithPath: file)
        var records = isCSV ? try SentimentCSVReader.read(contentsOf: url, options: csvOptions) : try PhraseBankReader.read(contentsOf: url)
        if split != "all" {
            let parts = PhraseBankSplit.partition(records)
            records = split == "dev" ? parts.dev : parts.train
        }
        let tagger = try self.tagger.makeTagger()
        let run = try tagger.tag(records.map(\.text))
        let predicted = run.texts.map(\.sentiment.label)
        let report = Report(
            file: file, split: split, model: tagger.model.name,
            sentiment: try SentimentEvaluation(records: records, predicted: predicted, labels: tagger.model.sentimentLabels),
            decoding: DecodingReport(drafter: tagger.drafterName, maxDraft: tagger.decoder.maximumDraft, total: run.total, timings: run.timings)
        )
        switch format {
        case .json:
            print(try prettyJSON(report))
        case .text:
            print("\(records.count) sentences from \(file) (split: \(split))")
            print(report.sentiment.formatted(digits: digits))
            report.decoding.lines.forEach { print($0) }
        }
    }
}
