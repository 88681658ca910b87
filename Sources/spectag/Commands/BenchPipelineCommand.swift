import Foundation
import SpecTagArguments

/// `spectag bench pipeline`: end-to-end throughput of 1 to N `spectag serve` processes in one
/// consumer group, the measurement behind the scale-out figures in docs/deployment.md.
struct BenchPipelineCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "pipeline",
            abstract: "Measure end-to-end tagging throughput of 1 to N spectag serve instances in one consumer group.",
            discussion: """
                For each instance count and each input rate, the command creates new topics on the \
                broker (each with --partitions partitions), starts that many `spectag serve --role \
                tagger` processes in a new consumer group, waits until every one has partitions \
                assigned, sends --messages news messages round-robin over the input partitions, and \
                measures the time from the first send until the instances report every output \
                delivered (spectag_messages_total on their /metrics). It also reads each instance's \
                CPU time and peak resident memory (VmHWM) from /proc.

                After each run it reads the input topic and the output topics back from the \
                beginning in a new consumer group. A message's end-to-end latency is the CreateTime \
                of its first output record (tagged or dead letter, set by the instance's producer \
                when it sent the record) minus the CreateTime of its input record (set by this \
                command's producer at send). The table shows the nearest-rank p50 and p99 over all \
                messages. The latency does not include the time until a consumer of the output \
                topic receives the record.

                With --python-baseline, tools/bench/python_pipeline.py (confluent-kafka and the same \
                model through transformers' token-classification pipeline) then processes the same \
                messages on new topics at each rate, measured the same way. The command prints the \
                ratio of spectag's throughput to Python's, and the share of messages where both \
                found the same entities (text and type) and the same sentiment label. When torch, \
                transformers or confluent-kafka cannot be imported, it prints one line and skips \
                the baseline.

                Run it against a broker of your own on 127.0.0.1, for example the Tansu binary that \
                scripts/tansu-path prints, with LD_LIBRARY_PATH=$(scripts/librdkafka-runtime) for Tansu. \
                The broker, this command and the pipelines share the machine's cores. The topics stay \
                on the broker afterwards.
                """
        )
    }

    static var options: [OptionSpec] {
        [
            .option("brokers", valueName: "host:port,...", help: "Kafka bootstrap servers, separated by commas.", default: "127.0.0.1:9092", environment: "SPECTAG_BROKERS"),
            .option("instances", valueName: "list", help: "Comma-separated instance counts; one run each, in order.", default: "1,2,3"),
            .option("messages", valueName: "n", help: "News messages per run.", default: 600),
            .option("partitions", valueName: "n", help: "Partitions of each new topic; at least the largest instance count.", default: 6),
            .option("sentences", valueName: "file", help: "Headlines, one per line (a PhraseBank line's @label suffix is removed), repeated when there are fewer than --messages.", default: BenchmarkInput.defaultSentenceFile),
            .option("model", valueName: "dir", help: "Model folder of the instances. Default: the shipped models/\(ModelLocator.defaultModelName).", environment: "SPECTAG_MODEL"),
            .option("drafter", valueName: "name", help: "Drafter of the instances: head, lexical or none.", default: "head"),
            .option("blas-threads", valueName: "n", help: "OPENBLAS_NUM_THREADS of each instance; 0 divides the cores between the instances, at least 1 each.", default: 0),
            .option("rates", valueName: "list", help: "Comma-separated input rates in messages per second, one run each per instance count, in order; 0 sends as fast as possible (saturation).", default: "0"),
            .option("timeout", valueName: "seconds", help: "Maximum time of one run in seconds, startup included.", default: 600),
            .flag("python-baseline", help: "Also run tools/bench/python_pipeline.py on the same messages at each rate, and compare.", default: false),
            .option("python", valueName: "path", help: "Python interpreter with torch, transformers and confluent-kafka, for --python-baseline.", default: "python3"),
            .option("python-threads", valueName: "n", help: "torch threads of the Python baseline; 0 uses every core.", default: 0),
        ]
    }

    let brokers: [String]
    let instanceCounts: [Int]
    let messageCount: Int
    let partitionCount: Int
    let sentencesPath: String
    let modelPath: String?
    let drafter: String
    let blasThreads: Int
    let timeoutSeconds: Int
    /// Messages per second; 0 for saturation.
    let rates: [Double]
    let pythonBaseline: Bool
    let python: String
    let pythonThreads: Int

    init(_ arguments: ParsedArguments) throws {
        brokers = try arguments.required("brokers", as: String.self).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !brokers.isEmpty else { throw UsageError("--brokers must name at least one host:port") }
        instanceCounts = try arguments.required("instances", as: String.self).split(separator: ",").map { part in
            guard let count = Int(part.trimmingCharacters(in: .whitespaces)), count > 0 else {
                throw UsageError("--instances must list positive integers, got '\(part)'")
            }
            return count
        }
        messageCount = try arguments.required("messages")
        partitionCount = try arguments.required("partitions")
        guard messageCount > 0 else { throw UsageError("--messages must be positive, got \(messageCount)") }
        let largest = instanceCounts.max() ?? 1
        guard partitionCount >= largest else {
            throw UsageError("--partitions (\(partitionCount)) must be at least the largest instance count (\(largest)); extra instances would get no partition")
        }
        sentencesPath = try arguments.required("sentences")
        modelPath = try arguments.text("model")
        drafter = try arguments.required("drafter")
        guard DrafterFactory.names.contains(drafter) else {
            throw UsageError("--drafter must be one of \(DrafterFactory.names.joined(separator: ", ")); got '\(drafter)'")
        }
        blasThreads = try arguments.required("blas-threads")
        guard blasThreads >= 0 else { throw UsageError("--blas-threads must be 0 or more, got \(blasThreads)") }
        timeoutSeconds = try arguments.required("timeout")
        guard timeoutSeconds > 0 else { throw UsageError("--timeout must be positive, got \(timeoutSeconds)") }
        rates = try Self.parseRates(try arguments.required("rates"))
        pythonBaseline = try arguments.flag("python-baseline")
        python = try arguments.required("python")
        pythonThreads = try arguments.required("python-threads")
        guard pythonThreads >= 0 else { throw UsageError("--python-threads must be 0 or more, got \(pythonThreads)") }
    }

    /// Parses `--rates`: a non-empty list of finite numbers, 0 or more.
    static func parseRates(_ text: String) throws -> [Double] {
        let rates = try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let rate = Double(trimmed), rate.isFinite, rate >= 0 else {
                throw UsageError("--rates must list rates of 0 or more messages per second, got '\(trimmed)'")
            }
            return rate
        }
        guard !rates.isEmpty else { throw UsageError("--rates must list at least one rate") }
        return rates
    }

    func run() async throws {
        let executable = try PipelineInstance.currentExecutable()
        let sentences = try BenchmarkInput.sentences(from: sentencesPath, count: messageCount)
        guard !sentences.isEmpty else { throw CLIError("\(sentencesPath): no sentences found") }
        let headlines = (0..<messageCount).map { sentences[$0 % sentences.count] }
        let cores = ProcessInfo.processInfo.activeProcessorCount

        print("machine: \(BenchmarkInput.machineDescription)")
        print("brokers: \(brokers.joined(separator: ",")); \(messageCount) messages per run from \(sentencesPath); \(partitionCount) partitions; drafter \(drafter)")
        print("latency: output CreateTime minus input CreateTime, nearest-rank percentiles")
        print("")
        print(PipelineMeasurement.tableHeader)
        var spectagRows: [PipelineMeasurement] = []
        for count in instanceCounts {
            let threads = blasThreads > 0 ? blasThreads : max(1, cores / count)
            let run = PipelineRun(
                executable: executable,
                brokers: brokers,
                instanceCount: count,
                partitionCount: partitionCount,
                blasThreads: threads,
                modelPath: modelPath,
                drafter: drafter,
                timeout: .seconds(timeoutSeconds)
            )
            for rate in rates {
                let row = try await run.measure(headlines: headlines, rate: rate)
                print(row.tableRow())
                spectagRows.append(row)
            }
        }
        guard pythonBaseline else { return }
        try await runPythonBaseline(headlines: headlines, spectagRows: spectagRows, cores: cores)
    }

    /// Runs the Python baseline at every rate, prints its rows, the throughput ratios and
    /// the agreement with the first spectag run. Prints one line and returns when a Python
    /// dependency is missing.
    private func runPythonBaseline(headlines: [String], spectagRows: [PipelineMeasurement], cores: Int) async throws {
        guard let script = ModelLocator.resolveTool("tools/bench/python_pipeline.py") else {
            throw CLIError("tools/bench/python_pipeline.py not found; run from the repository or drop --python-baseline")
        }
        if let missing = try PythonPipelineRun.missingDependency(python: python, script: script) {
            print("")
            print("Python baseline skipped: \(missing)")
            return
        }
        guard let modelFolder = ModelLocator.resolve(modelPath, relativePath: ModelLocator.defaultModelName) else {
            throw CLIError("models/\(ModelLocator.defaultModelName) not found; pass --model DIR")
        }
        let run = PythonPipelineRun(
            python: python,
            script: script,
            modelFolder: modelFolder,
            brokers: brokers,
            partitionCount: partitionCount,
            threads: pythonThreads > 0 ? pythonThreads : cores,
            timeout: .seconds(timeoutSeconds)
        )
        var pythonRows: [PipelineMeasurement] = []
        for rate in rates {
            let row = try await run.measure(headlines: headlines, rate: rate)
            print(row.tableRow())
            pythonRows.append(row)
        }

        print("")
        print("spectag messages/s ÷ Python messages/s at the same input rate:")
        for row in spectagRows {
            guard let baseline = pythonRows.first(where: { $0.rate == row.rate }) else { continue }
            print(String(format: "- %d instance(s), input rate %@: %.2f", row.instanceCount, row.rateText, row.messagesPerSecond / baseline.messagesPerSecond))
        }
        if let first = spectagRows.first, let baseline = pythonRows.first {
            let agreement = TaggingAgreement(spectag: first.outputs, python: baseline.outputs)
            print("")
            print("agreement of the first spectag run and the first Python run: \(agreement.summary)")
        }
        let duplicates = (spectagRows + pythonRows).map(\.duplicateOutputs).reduce(0, +)
        if duplicates > 0 {
            print("note: \(duplicates) duplicate outputs over all runs; latencies use each message's first output")
        }
    }
}
