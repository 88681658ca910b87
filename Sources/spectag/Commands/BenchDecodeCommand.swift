import Foundation
import SpecTagArguments
import SpecTagEvaluation
import SpecTagModels
import SpecTagSpeculation

/// `spectag bench decode`: speculative against greedy decoding on CoNLL sentences.
struct BenchDecodeCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "decode",
            abstract: "Measure speculative against greedy decoding on CoNLL sentences, per drafter and batch size.",
            discussion: """
                Every configuration decodes the same encoder states, so the decoder times compare \
                directly; the whole-sentence time adds the encoder time of that batch size. Each \
                speculative run is checked to give exactly the greedy tags. The sgemm rate of the \
                same run is printed for context.
                """
        )
    }

    static var options: [OptionSpec] {
        [
            .option("conll", valueName: "file", help: "CoNLL file with the sentences (the gold tags are not used).", default: "../shared/data/conll2003/eng.testa"),
            .option("count", valueName: "n", help: "Number of sentences; 0 means all.", default: 0),
            .option("batch-sizes", valueName: "list", help: "Comma-separated batch sizes.", default: "1,32"),
            .option("drafters", valueName: "list", help: "Comma-separated drafters to compare with greedy decoding.", default: "head,lexical"),
            .option("max-draft", short: "k", valueName: "n", help: "Maximum drafted tags per sentence per pass.", default: 8),
            .option("model", valueName: "dir", help: "Model folder. Default: the shipped models/\(ModelLocator.defaultModelName).", environment: "SPECTAG_MODEL"),
            .option("lexical-drafter", valueName: "file", help: "Lexical drafter file. Default: the shipped one.", environment: "SPECTAG_LEXICAL_DRAFTER"),
            .option("threads", valueName: "n", help: "OpenBLAS threads.", default: 2),
        ]
    }

    let conllPath: String
    let count: Int
    let batchSizes: [Int]
    let drafterNames: [String]
    let maximumDraft: Int
    let modelPath: String?
    let lexicalPath: String?
    let threads: Int

    init(_ arguments: ParsedArguments) throws {
        conllPath = try arguments.required("conll")
        count = try arguments.required("count")
        batchSizes = try (arguments.required("batch-sizes", as: String.self)).split(separator: ",").map { part in
            guard let size = Int(part), size > 0 else { throw UsageError("--batch-sizes must list positive integers, got '\(part)'") }
            return size
        }
        drafterNames = try (arguments.required("drafters", as: String.self)).split(separator: ",").map(String.init)
        for name in drafterNames where !DrafterFactory.names.contains(name) || name == "none" {
            throw UsageError("--drafters takes head and lexical, got '\(name)'")
        }
        maximumDraft = try arguments.required("max-draft")
        modelPath = try arguments.text("model")
        lexicalPath = try arguments.text("lexical-drafter")
        threads = try arguments.required("threads")
    }

    struct Row {
        var batchSize: Int
        var drafter: String
        var statistics = DecodingStatistics()
        var decoderSeconds = 0.0
    }

    func run() async throws {
        BLASInfo.setThreadCount(threads)
        let document = try CoNLLReader.read(contentsOf: URL(fileURLWithPath: conllPath))
        var sentences = document.sentences.map(\.words)
        if count > 0 { sentences = Array(sentences.prefix(count)) }
        let options = try TaggerOptions.forBenchmark(modelPath: modelPath, lexicalPath: lexicalPath)
        let model = try options.loadModel()
        let drafters: [(String, (any Drafter)?)] = [("none", nil)] + (try drafterNames.map { ($0, try DrafterFactory.make($0, model: model, lexicalPath: lexicalPath)) })

        print("machine: \(BenchmarkInput.machineDescription)")
        print(String(format: "cblas_sgemm 1024^3: %.1f GFLOP/s (OpenBLAS kernel %@, %d threads)", BLASInfo.sgemmRate(m: 1024, n: 1024, k: 1024), BLASInfo.coreName, BLASInfo.threadCount))
        print("model: \(model.name); \(sentences.count) sentences from \(conllPath); max draft \(maximumDraft)")
        print("")
        print("| batch | drafter | acceptance rate | mean acceptance length | target passes / sentence | decoder s | decoder speedup | encoder + decoder s | whole-sentence speedup |")
        print("|---|---|---|---|---|---|---|---|---|")
        var acceptanceTables: [String] = []
        for batchSize in batchSizes {
            var rows = drafters.map { Row(batchSize: batchSize, drafter: $0.0) }
            var encoderSeconds = 0.0
            for start in stride(from: 0, to: sentences.count, by: batchSize) {
                let batch = Array(sentences[start ..< min(start + batchSize, sentences.count)])
                let clock = ContinuousClock()
                let encodeStart = clock.now
                let encoded = try model.encode(batch)
                encoderSeconds += (clock.now - encodeStart).benchSeconds
                let drafting = zip(batch, encoded).map { DraftingSentence(words: $0, encoded: $1) }
                var greedyTags: [[Int]] = []
                for (index, (name, drafter)) in drafters.enumerated() {
                    let decoder = SpeculativeDecoder(decoder: model.decoder, drafter: drafter, maximumDraft: maximumDraft)
                    let decodeStart = clock.now
                    let result = decoder.decode(drafting)
                    rows[index].decoderSeconds += (clock.now - decodeStart).benchSeconds
                    let passes = rows[index].statistics.targetPasses + result.total.targetPasses
                    rows[index].statistics.add(result.total)
                    rows[index].statistics.targetPasses = passes
                    if index == 0 {
                        greedyTags = result.sentences.map { $0.tags + [$0.sentiment] }
                    } else if result.sentences.map({ $0.tags + [$0.sentiment] }) != greedyTags {
                        throw CLIError("drafter \(name) changed the output of batch starting at sentence \(start); speculative decoding must equal greedy decoding")
                    }
                }
            }
            let greedy = rows[0]
            for row in rows {
                let whole = encoderSeconds + row.decoderSeconds
                print(String(
                    format: "| %d | %@ | %.1f%% | %.2f | %.2f | %.2f | %.2fx | %.2f | %.2fx |",
                    batchSize, row.drafter == "none" ? "none (greedy)" : row.drafter, 100 * row.statistics.acceptanceRate,
                    row.statistics.meanAcceptanceLength, row.statistics.passesPerSentence, row.decoderSeconds,
                    greedy.decoderSeconds / row.decoderSeconds, whole, (encoderSeconds + greedy.decoderSeconds) / whole
                ))
                if row.drafter != "none" {
                    let rates = zip(row.statistics.acceptedAt, row.statistics.draftedAt).map { $1 == 0 ? 0 : 100 * Double($0) / Double($1) }
                    acceptanceTables.append("| \(batchSize) | \(row.drafter) | " + rates.map { String(format: "%.1f%%", $0) }.joined(separator: " | ") + " |")
                }
            }
        }
        print("")
        print("Acceptance rate by position in the draft (1 = first drafted tag of a pass):")
        print("")
        print("| batch | drafter | " + (1 ... max(1, maximumDraft)).map(String.init).joined(separator: " | ") + " |")
        print("|---|---|" + String(repeating: "---|", count: max(1, maximumDraft)))
        acceptanceTables.forEach { print($0) }
    }
}

extension Duration {
    var benchSeconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
