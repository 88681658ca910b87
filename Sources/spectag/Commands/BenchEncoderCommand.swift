import Foundation
import SpecTagArguments
import SpecTagModels
import SpecTagTokenization

/// `spectag bench encoder`: the encoder's GFLOP/s against plain sgemm and against PyTorch.
struct BenchEncoderCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "encoder",
            abstract: "Measure the encoder's GFLOP/s against plain cblas_sgemm and the same weights in PyTorch.",
            discussion: """
                Sentences are tokenized, sorted by length and cut into batches, so padding in the \
                PyTorch run is small (the Swift engine packs sentences without padding). GFLOP/s counts \
                the matrix products only. PyTorch runs through tools/bench/pytorch_encoder.py with the \
                same thread count; pass --no-pytorch to skip it.
                """
        )
    }

    static var options: [OptionSpec] {
        [
            .option("model", valueName: "dir", help: "Model folder. Default: the shipped models/\(ModelLocator.defaultModelName).", environment: "SPECTAG_MODEL"),
            .option("sentences", valueName: "file", help: "Sentences, one per line (PhraseBank '@label' suffixes are removed).", default: BenchmarkInput.defaultSentenceFile),
            .option("count", valueName: "n", help: "Number of sentences.", default: 256),
            .option("batch-size", valueName: "n", help: "Sentences per encoder call.", default: 64),
            .option("threads", valueName: "n", help: "Threads for OpenBLAS and PyTorch.", default: 2),
            .option("repeats", valueName: "n", help: "Timed runs; the best is reported.", default: 5),
            .flag("pytorch", help: "Also time PyTorch on the same token ids.", default: true),
            .option("python", valueName: "path", help: "Python interpreter with torch and transformers.", default: "python3"),
        ]
    }

    let modelPath: String?
    let sentenceFile: String
    let count: Int
    let batchSize: Int
    let threads: Int
    let repeats: Int
    let runPyTorch: Bool
    let python: String

    init(_ arguments: ParsedArguments) throws {
        modelPath = try arguments.text("model")
        sentenceFile = try arguments.required("sentences")
        count = try arguments.required("count")
        batchSize = try arguments.required("batch-size")
        threads = try arguments.required("threads")
        repeats = try arguments.required("repeats")
        runPyTorch = try arguments.flag("pytorch")
        python = try arguments.required("python")
        guard count > 0, batchSize > 0, threads > 0, repeats > 0 else {
            throw UsageError("--count, --batch-size, --threads and --repeats must be positive")
        }
    }

    func run() async throws {
        guard let folder = ModelLocator.resolve(modelPath, relativePath: ModelLocator.defaultModelName) else {
            throw CLIError("no model folder found: pass --model DIR")
        }
        BLASInfo.setThreadCount(threads)
        let checkpoint = try EncoderCheckpoint(folder: folder)
        let batches = try tokenizedBatches(checkpoint.tokenizer, maximumLength: checkpoint.configuration.maximumPositions)
        let lengths = batches.flatMap { $0.map(\.count) }
        let operations = checkpoint.configuration.matrixProductOperations(sequenceLengths: lengths)

        let swiftSeconds = try bestTime { for batch in batches { _ = try checkpoint.model.encode(EncoderBatch(tokenIDs: batch)) } }
        let square = BLASInfo.sgemmRate(m: 1024, n: 1024, k: 1024)
        let hidden = checkpoint.configuration.hiddenSize
        let shaped = BLASInfo.sgemmRate(m: lengths.prefix(batchSize).reduce(0, +), n: checkpoint.configuration.intermediateSize, k: hidden)
        let pytorch = runPyTorch ? try timePyTorch(folder: folder, batches: batches) : nil

        let encoderRate = operations / swiftSeconds / 1e9
        print("machine: \(BenchmarkInput.machineDescription)")
        print("OpenBLAS: \(BLASInfo.configuration); kernel \(BLASInfo.coreName); \(BLASInfo.threadCount) threads")
        print("model: \(folder.lastPathComponent) (\(checkpoint.configuration.layerCount) layers, hidden \(hidden)); \(lengths.count) sentences, \(lengths.reduce(0, +)) tokens, batches of \(batchSize)")
        print("")
        print("| measurement | seconds | GFLOP/s | share of sgemm 1024^3 |")
        print("|---|---|---|---|")
        print(row("cblas_sgemm 1024x1024x1024", nil, square, square))
        print(row("cblas_sgemm \(lengths.prefix(batchSize).reduce(0, +))x\(checkpoint.configuration.intermediateSize)x\(hidden) (a feed-forward product)", nil, shaped, square))
        print(row("spectag encoder", swiftSeconds, encoderRate, square))
        if let pytorch {
            print(row("PyTorch \(pytorch.version) encoder, \(pytorch.threads) threads", pytorch.seconds, operations / pytorch.seconds / 1e9, square))
            print("")
            print(String(format: "spectag encoder vs PyTorch: %.2fx", pytorch.seconds / swiftSeconds))
        }
    }

    private func row(_ name: String, _ seconds: Double?, _ rate: Double, _ reference: Double) -> String {
        "| \(name) | \(seconds.map { String(format: "%.4f", $0) } ?? "-") | \(String(format: "%.1f", rate)) | \(String(format: "%.0f%%", 100 * rate / reference)) |"
    }

    private func tokenizedBatches(_ tokenizer: any SubwordTokenizer, maximumLength: Int) throws -> [[[Int]]] {
        let sentences = try BenchmarkInput.sentences(from: sentenceFile, count: count)
        let sequences = try sentences.map { try tokenizer.encode($0, maxLength: maximumLength).ids }.sorted { $0.count < $1.count }
        return stride(from: 0, to: sequences.count, by: batchSize).map { Array(sequences[$0 ..< min($0 + batchSize, sequences.count)]) }
    }

    private func bestTime(_ body: () throws -> Void) throws -> Double {
        try body()
        var best = Double.infinity
        for _ in 0 ..< repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }

    private struct PyTorchResult: Decodable {
        let seconds: Double
        let tokens: Int
        let torch: String
        let threads: Int
        var version: String { torch }
    }

    private func timePyTorch(folder: URL, batches: [[[Int]]]) throws -> PyTorchResult {
        let request: [String: Any] = ["model": folder.path, "threads": threads, "repeats": repeats, "batches": batches]
        let requestFile = FileManager.default.temporaryDirectory.appendingPathComponent("spectag-bench-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: request).write(to: requestFile)
        defer { try? FileManager.default.removeItem(at: requestFile) }
        guard let script = ModelLocator.resolveTool("tools/bench/pytorch_encoder.py") else {
            throw CLIError("tools/bench/pytorch_encoder.py not found; run from the repository or pass --no-pytorch")
        }
        let output = try ProcessRunner.run(python, [script.path, requestFile.path])
        guard output.status == 0, let result = try? JSONDecoder().decode(PyTorchResult.self, from: Data(output.standardOutput.utf8)) else {
            throw CLIError("the PyTorch run failed (status \(output.status)): \(output.standardError.suffix(500)); pass --no-pytorch to skip it")
        }
        return result
    }
}
