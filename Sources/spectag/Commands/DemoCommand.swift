import Foundation
import SpecTagArguments
import SpecTagKafka
import SpecTagLocalProcess

/// `spectag demo`: the whole pipeline on a local broker, shown as it runs.
struct DemoCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "demo",
            abstract: "Run the service against a local Tansu broker on sample news and show the tagged output and alerts.",
            discussion: """
                Starts the Tansu broker binary on a free port of 127.0.0.1 with in-memory storage, runs \
                `spectag serve` (tagger and alert stage) against it with the shipped model, replays the \
                input file into the news topic, prints every tagged headline, dead letter and alert as it \
                arrives, then a summary, and stops everything. scripts/demo installs the broker and \
                passes --tansu. Logs of the broker and the service are kept in a temporary folder.
                """
        )
    }

    static var options: [OptionSpec] {
        [
            .option("tansu", valueName: "path", help: "Tansu broker binary (scripts/tansu-path prints it).", required: true, environment: "TANSU"),
            .option("input", valueName: "file", help: "News to replay: JSON lines, or a CSV with Time,Headlines columns.", default: "samples/news.jsonl"),
            .option("rate", valueName: "messages/s", help: "Replay rate.", default: 20),
            .option("limit", valueName: "n", help: "Replay at most this many messages; 0 replays the whole file.", default: 0),
            .option("timeout", valueName: "seconds", help: "Give up waiting for outputs after this long.", default: 180),
            .option("model", valueName: "dir", help: "Model folder for the service. Default: the shipped one.", environment: "SPECTAG_MODEL"),
            .option("drafter", valueName: "name", help: "Drafter for the service: head, lexical or none.", default: "head"),
            .flag("color", help: "Color sentiment labels and alerts.", default: isatty(STDOUT_FILENO) == 1),
        ]
    }

    let tansu: String
    let input: String
    let rate: Double
    let limit: Int
    let timeout: Int
    let modelPath: String?
    let drafter: String
    let color: Bool

    init(_ arguments: ParsedArguments) throws {
        tansu = try arguments.required("tansu")
        input = try arguments.required("input")
        rate = try arguments.required("rate")
        limit = try arguments.required("limit")
        timeout = try arguments.required("timeout")
        modelPath = try arguments.text("model")
        drafter = try arguments.required("drafter")
        color = try arguments.flag("color")
        guard rate > 0 else { throw UsageError("--rate must be positive") }
        guard DrafterFactory.names.contains(drafter) else { throw UsageError("--drafter must be head, lexical or none") }
    }

    func run() async throws {
        let messages = try DemoInput.read(input, limit: limit)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spectag-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let brokerPort = Int(try LoopbackPort.free())
        let brokers = "127.0.0.1:\(brokerPort)"
        print("starting Tansu on \(brokers) (log: \(folder.path)/tansu.log)")
        let broker = try DemoProcess(
            name: "Tansu", executable: URL(fileURLWithPath: tansu),
            arguments: ["broker", "--listener-url", "tcp://\(brokers)", "--advertised-listener-url", "tcp://\(brokers)", "--storage-engine", "memory://tansu/"],
            logFile: folder.appendingPathComponent("tansu.log")
        )
        guard await LocalPorts.waitForListener(port: brokerPort, timeout: .seconds(10)) else {
            throw CLIError("Tansu did not start listening on \(brokers); see \(broker.logFile.path)")
        }
        let (service, metricsPort) = try startService(brokers: brokers, folder: folder)
        do {
            try await replayAndShow(messages, brokers: brokers, service: service, metricsPort: metricsPort)
        } catch {
            await service.stop(timeout: .seconds(30))
            await broker.stop(timeout: .seconds(2))
            throw error
        }
        print("stopping the service (SIGTERM) and the broker")
        await service.stop(timeout: .seconds(30))
        await broker.stop(timeout: .seconds(2))
        print("service exit status: \(service.exitStatus); logs in \(folder.path)")
    }

    /// Starts `spectag serve` with short group timeouts, because Tansu delays a group join by
    /// about half of `session.timeout.ms`. The `-X` settings reach the alert stage's clients too.
    private func startService(brokers: String, folder: URL) throws -> (process: DemoProcess, metricsPort: Int) {
        let metricsPort = Int(try LoopbackPort.free())
        var arguments = [
            "serve", "--brokers", brokers, "--group-id", "spectag-demo", "--metrics-address", "127.0.0.1:\(metricsPort)",
            "--drafter", drafter, "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500",
        ]
        if let modelPath { arguments += ["--model", modelPath] }
        print("starting spectag serve (metrics on 127.0.0.1:\(metricsPort), log: \(folder.path)/serve.log)")
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let process = try DemoProcess(name: "spectag serve", executable: executable, arguments: arguments, logFile: folder.appendingPathComponent("serve.log"))
        return (process, metricsPort)
    }

    private func replayAndShow(_ messages: [DemoInput.Message], brokers: String, service: DemoProcess, metricsPort: Int) async throws {
        let topics = DemoTopics()
        print("waiting for the service to load the model and join its consumer group")
        guard await LocalPorts.waitForReady(port: metricsPort, timeout: .seconds(120), stillRunning: { service.isRunning }) else {
            throw CLIError("spectag serve did not become ready; see \(service.logFile.path)")
        }
        let viewer = try makeViewer(brokers: brokers, topics: topics)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: [brokers]))
        print("replaying \(messages.count) messages from \(input) at \(Int(rate))/s\n")
        let started = ContinuousClock.now
        let sending = Task {
            for (index, message) in messages.enumerated() {
                _ = try await producer.send(topic: topics.input, key: message.key, value: message.value)
                try await Task.sleep(until: started + .seconds(Double(index + 1) / rate), clock: .continuous)
            }
        }
        var view = DemoView(useColor: color)
        try await showOutputs(from: viewer, into: &view, topics: topics, expected: messages.count, service: service)

        try await sending.value
        await producer.close()
        try? await viewer.close()
        printSummary(view, sent: messages.count, elapsed: (view.lastOutput ?? .now) - started)
    }

    /// Prints every output record until all `expected` messages are tagged or dead-lettered,
    /// plus a few seconds for the alert stage, which reads the entity-sentiment topic after them.
    private func showOutputs(from viewer: KafkaConsumer, into view: inout DemoView, topics: DemoTopics, expected: Int, service: DemoProcess) async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        var settledAt: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            if let record = try await viewer.poll(timeout: .milliseconds(200)) {
                view.render(topic: record.topic, value: record.value, topics: topics).forEach { print($0) }
            }
            if settledAt == nil, view.tagged + view.deadLetters >= expected { settledAt = .now }
            if let settledAt, ContinuousClock.now - settledAt > .seconds(8) { return }
            guard service.isRunning else {
                throw CLIError("spectag serve exited with status \(service.exitStatus); see \(service.logFile.path)")
            }
        }
    }

    private func makeViewer(brokers: String, topics: DemoTopics) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: [brokers], groupID: "spectag-demo-viewer-\(UUID().uuidString.prefix(8))")
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .milliseconds(500)
        let consumer = try KafkaConsumer(configuration: configuration)
        try consumer.subscribe(topics: [topics.tagged, topics.deadLetter, topics.alerts])
        return consumer
    }

    private func printSummary(_ view: DemoView, sent: Int, elapsed: Duration) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("")
        print("summary")
        print("  messages: \(sent) sent, \(view.tagged) tagged, \(view.deadLetters) dead letters, \(sent - view.tagged - view.deadLetters) missing")
        print("  alerts: \(view.alerts)")
        print(String(format: "  throughput: %.1f messages/s over %.1f s (limited by the replay rate of %.0f/s)", Double(view.tagged + view.deadLetters) / max(seconds, 0.001), seconds, rate))
        let acceptance = view.draftTokens == 0 ? 0 : 100 * Double(view.acceptedTokens) / Double(view.draftTokens)
        print(String(format: "  speculative decoding (%@ drafter): %d draft tokens, %d accepted, acceptance rate %.1f%%, %.1f target passes per message", drafter, view.draftTokens, view.acceptedTokens, acceptance, Double(view.targetPasses) / Double(max(view.tagged, 1))))
    }
}
