import Foundation
import SpecTagKafka
import SpecTagLocalProcess
import SpecTagLogging
import SpecTagMetrics
import SpecTagModels
import SpecTagSpeculation
import SpecTagStreaming
import XCTest

// MARK: - Service test case

/// Base class of the service tests: a fresh Tansu broker per test, topic names of the test's
/// own, and helpers to run the service in-process or as a `spectag serve` process.
class ServiceTestCase: TansuTestCase {
    static let tinyModel = IntegrationEnvironment.packageRoot.appendingPathComponent("Tests/SpecTagModelsTests/Fixtures/tiny-tagger")

    /// Topic and group names of this test.
    struct Names {
        var input: String
        var tagged: String { input + ".tagged" }
        var entitySentiment: String { input + ".entity-sentiment" }
        var deadLetter: String { input + ".dead-letter" }
        var group: String
    }

    func makeNames() -> Names {
        Names(input: uniqueName("news"), group: uniqueName("taggers"))
    }

    /// Returns a configuration for `names` with short group timeouts, because Tansu delays a
    /// join for about half the session timeout.
    func serviceConfiguration(_ names: Names) -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        configuration.brokers = bootstrapServers
        configuration.groupID = names.group
        configuration.inputTopic = names.input
        configuration.taggedTopic = names.tagged
        configuration.entitySentimentTopic = names.entitySentiment
        configuration.deadLetterTopic = names.deadLetter
        configuration.alertsTopic = names.input + ".alerts"
        configuration.alertsChangelogTopic = names.input + ".alerts.changelog"
        configuration.role = .tagger
        configuration.sessionTimeout = .seconds(2)
        configuration.heartbeatInterval = .milliseconds(500)
        configuration.statisticsInterval = .seconds(1)
        configuration.commitInterval = .milliseconds(200)
        configuration.topicPartitions = 3
        configuration.topicReplicationFactor = 1
        configuration.shutdownTimeout = .seconds(20)
        configuration.maxDraft = 4
        return configuration
    }

    static func loadTinyTagger() throws -> TextTagger {
        let model = try TargetModel(folder: tinyModel)
        return TextTagger(model: model, drafter: HeadDrafter(model: model), maximumDraft: 4, batchSize: 16)
    }

    // MARK: In-process service

    /// A service running in a task of the test process.
    struct RunningService {
        let service: StreamingService
        let task: Task<Void, any Error>
        let registry: MetricsRegistry
        let readiness: ReadinessFlag
        let logs: RecordingLogHandler

        /// Requests a graceful shutdown and waits for `run()` to return.
        func stop() async throws {
            service.shutdown.request()
            try await task.value
        }

        func logged(_ text: String) -> [LogEntry] {
            logs.entries.filter { $0.message.contains(text) }
        }

        /// Waits until the service has created its topics and got its partitions.
        func waitUntilReady(seconds: Double = 30) async throws {
            try await withDeadline(seconds: seconds, waitingFor: "readiness after the partition assignment") { [readiness] in
                while readiness.current() != .ready {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        }
    }

    func startService(_ configuration: ServiceConfiguration, tagger: (any NewsTagging)? = nil) throws -> RunningService {
        let registry = MetricsRegistry()
        let readiness = ReadinessFlag()
        let logs = RecordingLogHandler()
        let service = try StreamingService(
            configuration: configuration,
            tagger: try tagger ?? Self.loadTinyTagger(),
            metrics: ServiceMetrics(registry: registry),
            readiness: readiness,
            logger: Logger(label: "spectag.serve", handler: logs, level: .debug)
        )
        let task = Task { try await service.run() }
        return RunningService(service: service, task: task, registry: registry, readiness: readiness, logs: logs)
    }

    // MARK: Input and output

    /// Returns a valid news message with `id`.
    static func newsJSON(_ id: String, headline: String? = nil) -> String {
        let text = headline ?? "Halvorsen Bank shares fall in Oslo after report \(id)"
        return #"{"id":"\#(id)","headline":"\#(text)","source":"test","published_at":"2026-12-04T20:00:00Z","tickers":["HVBK"]}"#
    }

    /// Sends raw values keyed by `keys`, concurrently, and waits for every delivery.
    func sendRaw(_ values: [Data], keys: [String?], to topic: String, producer: KafkaProducer) async throws {
        try await withDeadline(seconds: 60, waitingFor: "delivery of \(values.count) input messages") {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (value, key) in zip(values, keys) {
                    group.addTask {
                        _ = try await producer.send(topic: topic, key: key.map { Data($0.utf8) }, value: value)
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    func sendNews(_ ids: [String], to topic: String, producer: KafkaProducer) async throws {
        try await sendRaw(ids.map { Data(Self.newsJSON($0).utf8) }, keys: ids, to: topic, producer: producer)
    }

    /// Reads `topic` from the beginning in a new group until `isComplete` holds for what was
    /// read, then keeps reading for `settle` seconds to catch duplicates.
    func readUntil(
        _ topic: String,
        isolation: KafkaConsumerConfiguration.IsolationLevel = .readUncommitted,
        seconds: Double = 60,
        settle: Double = 1,
        _ isComplete: @escaping @Sendable ([KafkaConsumerMessage]) -> Bool
    ) async throws -> [KafkaConsumerMessage] {
        let consumer = try makeConsumer(group: uniqueName("reader")) { $0.isolationLevel = isolation }
        try consumer.subscribe(topics: [topic])
        var received: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline, !isComplete(received) {
            if let message = try await consumer.poll(timeout: .milliseconds(100)) {
                received.append(message)
            }
        }
        received += try await drain(consumer, seconds: settle)
        try await consumer.close()
        return received
    }

    /// Returns the keys of `messages` as strings.
    static func keys(_ messages: [KafkaConsumerMessage]) -> [String] {
        messages.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } }
    }

    static func json(_ message: KafkaConsumerMessage) -> [String: Any]? {
        message.value.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    /// Returns the group's committed offsets of `topic`'s partitions, read by a consumer that
    /// does not join the group.
    func committedOffsets(group: String, topic: String, partitions: Int32 = 3) async throws -> [KafkaTopicPartition: Int64] {
        let consumer = try makeConsumer(group: group)
        let offsets = try await consumer.committed((0..<partitions).map { KafkaTopicPartition(topic: topic, partition: $0) })
        try await consumer.close()
        return offsets
    }

    /// Returns where each input message is: message id by partition and offset.
    func inputPositions(_ topic: String, count: Int) async throws -> [KafkaTopicPartition: [Int64: String]] {
        let messages = try await readUntil(topic, settle: 0) { $0.count >= count }
        var positions: [KafkaTopicPartition: [Int64: String]] = [:]
        for message in messages {
            positions[message.topicPartition, default: [:]][message.offset] = message.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return positions
    }
}

// MARK: - Schema checks

/// Validates JSON documents against schemas/ with Python's jsonschema, when it is installed.
enum ServiceSchemaCheck {
    private static let script = """
        import json, sys
        import jsonschema
        validator = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        for line in sys.stdin:
            print(json.dumps(sorted(e.message for e in validator.iter_errors(json.loads(line)))))
        """

    /// Returns the documents that violate `schema` with their problems, or `nil` when
    /// python3 with jsonschema is not available.
    static func violations(of documents: [Data], schema: String) throws -> [(document: String, problems: [String])]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let schemaPath = IntegrationEnvironment.packageRoot.appendingPathComponent("schemas/\(schema).schema.json").path
        process.arguments = ["python3", "-c", script, schemaPath]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let lines = documents.map { String(decoding: $0, as: UTF8.self) }
        let writer = Thread {
            input.fileHandleForWriting.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let results = try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode([String].self, from: Data($0.utf8))
        }
        return zip(lines, results).filter { !$0.1.isEmpty }.map { (document: $0.0, problems: $0.1) }
    }
}

// MARK: - A `spectag serve` process

/// `spectag serve` run as a child process with its log in a file, for tests that send it
/// signals. It is a ``ChildProcess`` with an empty signal mask, because a child of a test
/// thread would otherwise inherit blocked signals and never see SIGTERM.
final class ServiceSubprocess {
    let logURL: URL
    private let process: ChildProcess

    /// Starts `spectag serve` with `arguments`.
    ///
    /// - Throws: ``ScaleOutError`` naming the missing executable, or ``LocalProcessError``
    ///   when the spawn fails.
    init(arguments: [String]) throws {
        let executable = try Self.executable()
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("spectag-service-\(UUID().uuidString.prefix(8)).log")
        var environment = ProcessInfo.processInfo.environment
        environment["SPECTAG_LOG_FORMAT"] = "json"
        environment["SPECTAG_LOG_LEVEL"] = "info"
        process = try ChildProcess(
            executable: executable.path,
            arguments: ["serve"] + arguments,
            environment: environment,
            standardOutputPath: logURL.path,
            standardError: .standardOutput
        )
    }

    /// Returns the `spectag` executable that the build put next to the test bundle.
    ///
    /// - Throws: ``ScaleOutError`` listing the paths that were tried.
    static func executable() throws -> URL {
        try SpecTagExecutable.locate()
    }

    var isRunning: Bool { process.isRunning }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        process.send(signal)
    }

    /// Kills the process with SIGKILL and reaps it.
    func kill() {
        process.kill()
    }

    /// Waits up to `seconds` for the process to exit and returns its exit code, or `nil` when
    /// it is still running or was ended by a signal.
    func waitForExit(seconds: Double) async -> Int32? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return process.exitCode
    }

    /// Returns the log's lines that contain `text`.
    func logLines(containing text: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { $0.contains(text) }
    }

    /// Waits up to `seconds` until a log line contains `text`; returns false at once when
    /// the process exits first.
    func waitForLog(_ text: String, seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if !logLines(containing: text).isEmpty { return true }
            if !isRunning { return false }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    var log: String {
        (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    }

    func logTail(maxBytes: Int = 4000) -> String {
        String(log.suffix(maxBytes))
    }
}
