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
                For each instance count, the command creates new topics on the broker (each with \
                --partitions partitions), starts that many `spectag serve --role tagger` processes in \
                a new consumer group, waits until every one has partitions assigned, sends --messages \
                news messages round-robin over the input partitions, and measures the time from the \
                first send until the instances report every output delivered (spectag_messages_total \
                on their /metrics). It also reads each instance's CPU time and peak resident memory \
                (VmHWM) from /proc.

                Run it against a broker of your own on 127.0.0.1, for example the Tansu binary that \
                scripts/tansu-path prints, with LD_LIBRARY_PATH=$(scripts/librdkafka-runtime) for Tansu. \
                The broker, this command and the instances share the machine's cores. The topics stay \
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
            .option("timeout", valueName: "seconds", help: "Maximum time of one run in seconds, startup included.", default: 600),
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
    }

    func run() async throws {
        let executable = try PipelineInstance.currentExecutable()
        let sentences = try BenchmarkInput.sentences(from: sentencesPath, count: messageCount)
        guard !sentences.isEmpty else { throw CLIError("\(sentencesPath): no sentences found") }
        let cores = ProcessInfo.processInfo.activeProcessorCount

        print("machine: \(BenchmarkInput.machineDescription)")
        print("brokers: \(brokers.joined(separator: ",")); \(messageCount) messages per run from \(sentencesPath); \(partitionCount) partitions; drafter \(drafter)")
        print("")
        print("| instances | BLAS threads each | seconds | messages/s | per instance | CPU cores used | messages per CPU-second | peak RSS per instance | messages per instance |")
        print("|---|---|---|---|---|---|---|---|---|")
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
            let result = try await run.measure(headlines: (0..<messageCount).map { sentences[$0 % sentences.count] })
            print(result.tableRow(blasThreads: threads))
        }
    }
}
