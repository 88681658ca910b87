import Foundation
import SpecTagKafka

// MARK: - One measurement

/// One run of `spectag bench pipeline`: `instanceCount` serve processes in a new consumer
/// group on new topics, timed from the first send until every output is delivered, and the
/// topics read back afterwards for the end-to-end latencies.
struct PipelineRun {
    let executable: String
    let brokers: [String]
    let instanceCount: Int
    let partitionCount: Int
    let blasThreads: Int
    let modelPath: String?
    let drafter: String
    let timeout: Duration

    /// Throughput, CPU and memory of the instances, measured while they run.
    private struct Throughput {
        var seconds: Double
        var consumedPerInstance: [Int]
        var cpuSeconds: Double
        var peakResidentBytesPerInstance: [Int]
    }

    /// Runs the measurement at `rate` messages per second (0 for saturation), stops every
    /// instance, then reads the topics back for the latencies.
    ///
    /// - Throws: `CLIError` when an instance exits early, when the instances are not ready or
    ///   not done within ``timeout``, or when the records cannot be read back; ``KafkaError``
    ///   when creating topics or sending fails.
    func measure(headlines: [String], rate: Double) async throws -> PipelineMeasurement {
        let topics = PipelineTopics(prefix: "spectag-bench-\(UUID().uuidString.prefix(8).lowercased())")
        try await createTopics(topics)
        let throughput = try await runInstances(headlines: headlines, rate: rate, topics: topics)
        let records = try await RunRecordsReader.read(
            brokers: brokers, inputTopic: topics.input, outputTopics: [topics.tagged, topics.deadLetter], count: headlines.count
        )
        return PipelineMeasurement(
            pipeline: "spectag",
            instanceCount: instanceCount,
            threadsEach: blasThreads,
            rate: rate,
            messageCount: headlines.count,
            seconds: throughput.seconds,
            consumedPerInstance: throughput.consumedPerInstance,
            cpuSeconds: throughput.cpuSeconds,
            peakResidentBytesPerInstance: throughput.peakResidentBytesPerInstance,
            latency: LatencySummary(records.latenciesMilliseconds),
            duplicateOutputs: records.duplicateOutputs,
            outputs: records.outputValues
        )
    }

    /// Starts the instances, sends the news and waits for every output; stops every
    /// instance before it returns or throws.
    private func runInstances(headlines: [String], rate: Double, topics: PipelineTopics) async throws -> Throughput {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var instances: [PipelineInstance] = []
        defer { PipelineInstance.stopAll(instances, gracePeriod: 30) }
        for index in 1...instanceCount {
            instances.append(try PipelineInstance(
                executable: executable,
                name: "\(topics.prefix)-\(index)",
                environment: instanceEnvironment(topics)
            ))
        }
        try await waitUntilReady(instances, deadline: deadline)

        let cpuBefore = instances.map(\.cpuSeconds)
        let start = clock.now
        let sender = NewsSender(brokers: brokers, partitionCount: partitionCount, rate: rate)
        try await sender.send(headlines, to: topics.input)
        try await waitUntilDelivered(headlines.count, topics: topics, instances: instances, deadline: deadline)
        let seconds = secondsOf(clock.now - start)
        let cpuAfter = instances.map(\.cpuSeconds)

        var consumed: [Int] = []
        for instance in instances {
            consumed.append(Int(try instance.metric("spectag_messages_total", labels: ["topic": topics.input, "direction": "in"])))
        }
        return Throughput(
            seconds: seconds,
            consumedPerInstance: consumed,
            cpuSeconds: zip(cpuAfter, cpuBefore).reduce(0) { $0 + ($1.0 - $1.1) },
            peakResidentBytesPerInstance: instances.map(\.peakResidentBytes)
        )
    }

    // MARK: Steps

    private func createTopics(_ topics: PipelineTopics) async throws {
        let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: brokers))
        try await admin.createTopics(topics.all.map { KafkaNewTopic(name: $0, partitionCount: Int32(partitionCount)) })
    }

    /// Returns the environment of every instance: this process's environment plus the `SPECTAG_*` settings.
    private func instanceEnvironment(_ topics: PipelineTopics) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        let settings: [String: String] = [
            "BROKERS": brokers.joined(separator: ","),
            "GROUP_ID": "\(topics.prefix)-taggers",
            "ROLE": "tagger",
            "CREATE_TOPICS": "false",
            "INPUT_TOPIC": topics.input,
            "TAGGED_TOPIC": topics.tagged,
            "ENTITY_SENTIMENT_TOPIC": topics.entitySentiment,
            "DEAD_LETTER_TOPIC": topics.deadLetter,
            "DRAFTER": drafter,
            "AUTO_OFFSET_RESET": "earliest",
            // Short enough for a quick group start on brokers that delay joins by half of it.
            "SESSION_TIMEOUT_MS": "6000",
            "HEARTBEAT_INTERVAL_MS": "1000",
            "LOG_LEVEL": "warning",
        ]
        for (key, value) in settings {
            environment["SPECTAG_" + key] = value
        }
        if let modelPath {
            environment["SPECTAG_MODEL"] = modelPath
        }
        environment["OPENBLAS_NUM_THREADS"] = String(blasThreads)
        return environment
    }

    private func waitUntilReady(_ instances: [PipelineInstance], deadline: ContinuousClock.Instant) async throws {
        while ContinuousClock.now < deadline {
            try checkRunning(instances)
            if instances.allSatisfy({ $0.readinessStatus() == 200 }) {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CLIError("the \(instances.count) instances were not all ready (partitions assigned) before the timeout")
    }

    /// Waits until the instances together delivered one tagged record or dead letter per message.
    private func waitUntilDelivered(
        _ count: Int,
        topics: PipelineTopics,
        instances: [PipelineInstance],
        deadline: ContinuousClock.Instant
    ) async throws {
        var delivered = 0.0
        while ContinuousClock.now < deadline {
            try checkRunning(instances)
            delivered = 0
            for instance in instances {
                delivered += try instance.metric("spectag_messages_total", labels: ["topic": topics.tagged, "direction": "out"])
                delivered += try instance.metric("spectag_messages_total", labels: ["topic": topics.deadLetter, "direction": "out"])
            }
            if delivered >= Double(count) {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLIError("only \(Int(delivered)) of \(count) messages were delivered before the timeout")
    }

    private func checkRunning(_ instances: [PipelineInstance]) throws {
        for instance in instances where !instance.isRunning {
            throw CLIError("instance \(instance.name) exited early; its log ends with:\n\(instance.logTail())")
        }
    }
}

/// The topics of one run.
struct PipelineTopics {
    let prefix: String
    var input: String { "\(prefix)-news" }
    var tagged: String { "\(prefix)-tagged" }
    var entitySentiment: String { "\(prefix)-entity-sentiment" }
    var deadLetter: String { "\(prefix)-dead-letter" }
    var all: [String] { [input, tagged, entitySentiment, deadLetter] }
}
