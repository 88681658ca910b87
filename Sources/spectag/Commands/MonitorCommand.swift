import Foundation
import SpecTagAlerts
import SpecTagArguments
import SpecTagKafka
import SpecTagLogging
#if canImport(Glibc)
import Glibc
#endif

/// `spectag monitor`: a live terminal view of entity sentiment and alerts.
struct MonitorCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "monitor",
            abstract: "Show the most mentioned entities, their sentiment and the latest alerts, refreshed live.",
            discussion: """
                Reads the entity-sentiment and alerts topics from the beginning, in a consumer group of \
                its own that commits nothing. The table lists the entities with the most mentions in \
                the recent window, which ends at the newest event time read (published_at, or \
                processed_at when that is missing), with their negative, neutral and positive counts, \
                the mean sentiment score and a bar of the three shares. Below it are the latest alerts.

                On a terminal the screen is cleared and redrawn every --refresh, in color unless \
                NO_COLOR is set. When standard output is not a terminal, plain text is printed at each \
                refresh that saw new records. With --once the command reads until it has caught up \
                with both topics (or --timeout passes), prints the screen once in plain text and \
                exits. SIGINT or SIGTERM stops it.
                """
        )
    }

    static var options: [OptionSpec] {
        AlertCommandKafkaOptions.specs + [
            .option("entity-topic", valueName: "topic", help: "Entity-sentiment topic.", default: "news.entity-sentiment"),
            .option("alerts-topic", valueName: "topic", help: "Alerts topic.", default: "news.alerts"),
            .option("window", valueName: "duration", help: "Length of the recent window, such as 15m.", default: "15m"),
            .option("refresh", valueName: "duration", help: "Time between redraws, such as 1s.", default: "1s"),
            .option("top", valueName: "n", help: "Number of entities listed.", default: 15),
            .option("alerts", valueName: "n", help: "Number of latest alerts listed.", default: 10),
            .option("since", valueName: "duration", help: "Skip records whose Kafka timestamp is older than this, such as 2h. (default: read everything)"),
            .flag("once", help: "Read until caught up with both topics, print once in plain text and exit."),
            .option("timeout", valueName: "duration", help: "With --once, the maximum time to wait for catching up.", default: "30s"),
        ]
    }

    let kafka: AlertCommandKafkaOptions
    let entityTopic: String
    let alertsTopic: String
    let window: AlertDuration
    let refresh: Duration
    let top: Int
    let alertLimit: Int
    let since: Duration?
    let once: Bool
    let timeout: Duration

    init(_ arguments: ParsedArguments) throws {
        kafka = try AlertCommandKafkaOptions(arguments)
        entityTopic = try arguments.required("entity-topic")
        alertsTopic = try arguments.required("alerts-topic")
        let windowDuration: Duration = try arguments.required("window")
        window = AlertDuration(milliseconds: Self.wholeMilliseconds(windowDuration))
        refresh = try arguments.required("refresh")
        top = try arguments.required("top")
        alertLimit = try arguments.required("alerts")
        since = try arguments.value("since")
        once = try arguments.flag("once")
        timeout = try arguments.required("timeout")
        guard window.milliseconds > 0 else { throw UsageError("--window must be longer than 0") }
        guard refresh >= .milliseconds(50) else { throw UsageError("--refresh must be at least 50ms, got \(refresh)") }
        guard top >= 1 else { throw UsageError("--top must be at least 1, got \(top)") }
        guard alertLimit >= 0 else { throw UsageError("--alerts must be 0 or more, got \(alertLimit)") }
        guard entityTopic != alertsTopic else { throw UsageError("--entity-topic and --alerts-topic must differ") }
    }

    // MARK: Running

    func run() async throws {
        let logger = Logger(label: "spectag.monitor")
        let consumer = try KafkaConsumer(configuration: consumerConfiguration())
        try consumer.subscribe(topics: [entityTopic, alertsTopic])
        let progress = MonitorCatchUpTracker(topics: [entityTopic, alertsTopic])
        let eventsTask = Task {
            for await event in consumer.events {
                if case .statistics(let statistics) = event {
                    progress.update(statistics)
                }
            }
        }
        defer { eventsTask.cancel() }

        let stop = MonitorStopFlag()
        let signals = try AlertCommandSignals(logger: logger) { stop.set() }
        defer { withExtendedLifetime(signals) {} }

        let isTerminal = !once && isatty(STDOUT_FILENO) == 1
        var monitor = EntityMonitor(window: window, alertLimit: alertLimit)
        let deadline = ContinuousClock.now + timeout
        var lastDraw = ContinuousClock.now
        var lastDrawnCount = -1

        while !stop.isSet {
            if let message = try await consumer.poll(timeout: .milliseconds(100)) {
                add(message, to: &monitor)
            }
            if once {
                if progress.isCaughtUp { break }
                if ContinuousClock.now >= deadline {
                    logger.warning(
                        "not caught up with both topics before the timeout; printing what was read",
                        ["timeout": .string("\(timeout)"), "topics": .string("\(entityTopic),\(alertsTopic)")]
                    )
                    break
                }
                continue
            }
            guard ContinuousClock.now - lastDraw >= refresh else { continue }
            lastDraw = ContinuousClock.now
            let snapshot = monitor.snapshot(top: top)
            let count = snapshot.recordsRead + snapshot.alertsRead + snapshot.invalidRecords
            if isTerminal {
                write("\u{1B}[H\u{1B}[2J" + renderer(terminal: true).render(snapshot))
            } else if count != lastDrawnCount {
                write(renderer(terminal: false).render(snapshot) + "\n")
            }
            lastDrawnCount = count
        }

        if once {
            write(renderer(terminal: false).render(monitor.snapshot(top: top)))
        }
        try await consumer.close()
    }

    private func consumerConfiguration() -> KafkaConsumerConfiguration {
        let group = "spectag-monitor-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = KafkaConsumerConfiguration(bootstrapServers: kafka.brokers, groupID: group)
        configuration.clientID = "spectag-monitor"
        configuration.autoOffsetReset = .earliest
        // A short session timeout speeds up the first join on brokers that delay it by half
        // the session timeout, as Tansu does.
        configuration.sessionTimeout = .seconds(6)
        configuration.heartbeatInterval = .seconds(2)
        configuration.commitStoredOffsetsOnRevoke = false
        configuration.statisticsInterval = .milliseconds(250)
        configuration.additionalProperties = kafka.properties
        return configuration
    }

    // MARK: Records

    private func add(_ message: KafkaConsumerMessage, to monitor: inout EntityMonitor) {
        let now = Timestamp.milliseconds(of: Date())
        if let since, let timestamp = message.timestamp,
           Timestamp.milliseconds(of: timestamp) < now - Self.wholeMilliseconds(since) {
            return
        }
        guard let value = message.value else {
            monitor.addInvalidRecord()
            return
        }
        do {
            if message.topic == entityTopic {
                monitor.add(try EntitySentimentRecord.decode(from: value), now: now)
            } else {
                monitor.add(try AlertRecord.decode(from: value))
            }
        } catch {
            monitor.addInvalidRecord()
        }
    }

    // MARK: Output

    private func renderer(terminal: Bool) -> MonitorRenderer {
        MonitorRenderer(
            subtitle: "\(entityTopic) + \(alertsTopic) on \(kafka.brokers.joined(separator: ","))",
            width: terminal ? Self.terminalWidth() : nil,
            useColor: terminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        )
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Returns `duration` in whole milliseconds, rounded down.
    private static func wholeMilliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Returns the column count of the terminal on standard output, or `nil` when unknown.
    private static func terminalWidth() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}

// MARK: - Catching up

/// Decides from consumer statistics whether every partition of the topics has been read
/// up to its end.
final class MonitorCatchUpTracker: @unchecked Sendable {
    private let topics: [String]
    private let lock = NSLock()
    private var caughtUp = false

    init(topics: [String]) {
        self.topics = topics
    }

    var isCaughtUp: Bool {
        lock.lock()
        defer { lock.unlock() }
        return caughtUp
    }

    /// Updates the state from a statistics report. A partition counts as read to its end
    /// when it is being fetched and the application has received every message up to the
    /// last stable offset (the high watermark when that is unknown), or when it is empty.
    func update(_ statistics: KafkaStatistics) {
        let result = topics.allSatisfy { topic in
            guard let partitions = statistics.topics[topic], !partitions.isEmpty else { return false }
            return partitions.values.allSatisfy { partition in
                let end = partition.lastStableOffset >= 0 ? partition.lastStableOffset : partition.highWatermark
                guard partition.fetchState == "active", end >= 0 else { return false }
                return end == 0 || partition.applicationOffset >= end
            }
        }
        lock.lock()
        defer { lock.unlock() }
        caughtUp = result
    }
}

/// A flag that a signal handler sets and the main loop reads.
final class MonitorStopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func set() {
        lock.lock()
        defer { lock.unlock() }
        value = true
    }
}

