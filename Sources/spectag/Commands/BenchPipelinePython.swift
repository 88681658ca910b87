import Foundation
import SpecTagKafka

// MARK: - The Python baseline

/// One run of tools/bench/python_pipeline.py, the pipeline a Python user would write
/// (confluent-kafka and `transformers`' token-classification pipeline with the same model),
/// measured the way ``PipelineRun`` measures spectag.
///
/// The script reports on standard output, one JSON object per line: `{"event": "ready"}`
/// once the group assigned its partitions, and `{"event": "delivered", "messages": N}` with
/// a running total after each batch's outputs are delivered.
struct PythonPipelineRun {
    let python: String
    let script: URL
    let modelFolder: URL
    let brokers: [String]
    let partitionCount: Int
    /// torch threads of the Python process.
    let threads: Int
    let timeout: Duration

    /// The exit status of `python_pipeline.py --check` when a package is missing.
    static let missingDependencyStatus: Int32 = 3

    /// Returns `nil` when the script's imports work, or the script's one-line message when
    /// torch, transformers or confluent-kafka is missing.
    ///
    /// - Throws: `CLIError` when the interpreter cannot start or the check fails otherwise.
    static func missingDependency(python: String, script: URL) throws -> String? {
        let output = try ProcessRunner.run(python, [script.path, "--check"])
        switch output.status {
        case 0:
            return nil
        case missingDependencyStatus:
            return output.standardError.split(separator: "\n").last.map(String.init) ?? "python_pipeline: a dependency is missing"
        default:
            throw CLIError("\(python) \(script.path) --check failed with status \(output.status): \(output.standardError.suffix(500))")
        }
    }

    /// Runs the baseline at `rate` messages per second (0 for saturation), stops it, then
    /// reads the topics back for the latencies.
    ///
    /// - Throws: `CLIError` when the script exits early, is not ready or not done within
    ///   ``timeout``, or when the records cannot be read back. ``KafkaError`` when creating
    ///   topics or sending fails.
    func measure(headlines: [String], rate: Double) async throws -> PipelineMeasurement {
        let prefix = "spectag-bench-python-\(UUID().uuidString.prefix(8).lowercased())"
        let inputTopic = "\(prefix)-news"
        let outputTopic = "\(prefix)-tagged"
        let admin = try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: brokers))
        try await admin.createTopics([inputTopic, outputTopic].map { KafkaNewTopic(name: $0, partitionCount: Int32(partitionCount)) })

        let process = try BenchChildProcess(
            executable: python,
            arguments: [
                script.path, "--brokers", brokers.joined(separator: ","), "--input-topic", inputTopic,
                "--output-topic", outputTopic, "--group", "\(prefix)-taggers", "--model", modelFolder.path,
                "--threads", String(threads),
            ],
            environment: ProcessInfo.processInfo.environment.merging(["HF_HUB_OFFLINE": "1"]) { $1 },
            name: prefix,
            keepOutput: true
        )
        var stopped = false
        defer {
            if !stopped { BenchChildProcess.stopAll([process], gracePeriod: 30) }
        }

        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        try await waitUntil(process, deadline: deadline, "ready (model loaded and partitions assigned)") { status in
            status.ready
        }
        let cpuBefore = process.cpuSeconds
        let start = clock.now
        try await NewsSender(brokers: brokers, partitionCount: partitionCount, rate: rate).send(headlines, to: inputTopic)
        try await waitUntil(process, deadline: deadline, "done (\(headlines.count) outputs delivered)") { status in
            status.delivered >= headlines.count
        }
        let seconds = secondsOf(clock.now - start)
        let cpuSeconds = process.cpuSeconds - cpuBefore
        let peakResidentBytes = process.peakResidentBytes
        let delivered = PythonStatus(parsing: process.output()).delivered
        BenchChildProcess.stopAll([process], gracePeriod: 30)
        stopped = true

        let records = try await RunRecordsReader.read(
            brokers: brokers, inputTopic: inputTopic, outputTopics: [outputTopic], count: headlines.count
        )
        return PipelineMeasurement(
            pipeline: "python",
            instanceCount: 1,
            threadsEach: threads,
            rate: rate,
            messageCount: headlines.count,
            seconds: seconds,
            consumedPerInstance: [delivered],
            cpuSeconds: cpuSeconds,
            peakResidentBytesPerInstance: [peakResidentBytes],
            latency: LatencySummary(records.latenciesMilliseconds),
            duplicateOutputs: records.duplicateOutputs,
            outputs: records.outputValues
        )
    }

    /// Polls the script's status lines every 50 ms until `condition` holds.
    private func waitUntil(
        _ process: BenchChildProcess,
        deadline: ContinuousClock.Instant,
        _ description: String,
        condition: (PythonStatus) -> Bool
    ) async throws {
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw CLIError("the Python baseline exited early; its log ends with:\n\(process.logTail())")
            }
            if condition(PythonStatus(parsing: process.output())) {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLIError("the Python baseline was not \(description) before the timeout; its log ends with:\n\(process.logTail())")
    }
}

/// The state that the Python baseline's status lines have reported so far.
struct PythonStatus {
    var ready = false
    /// The running total of messages whose outputs were delivered.
    var delivered = 0

    /// Reads the status lines; a line that is not a status object is ignored.
    init(parsing output: String) {
        for line in output.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let event = object["event"] as? String else { continue }
            switch event {
            case "ready":
                ready = true
            case "delivered":
                delivered = max(delivered, (object["messages"] as? Int) ?? 0)
            default:
                break
            }
        }
    }
}
