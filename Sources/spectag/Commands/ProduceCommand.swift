import Foundation
import SpecTagArguments
import SpecTagEvaluation
import SpecTagKafka
import SpecTagStreaming

/// `spectag produce`: replays JSON lines or a CSV file of news into a Kafka topic.
struct ProduceCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "produce",
            abstract: "Send news from a JSON-lines or CSV file to a Kafka topic, waiting for each delivery.",
            discussion: """
                With --format jsonl every non-blank line is sent as it is, even when it is not valid \
                JSON, so malformed samples reach the dead-letter topic; the key is the line's "id" when \
                the line is a JSON object with a string id, otherwise null.

                With --format csv the first row names the columns. Each row becomes \
                {"id": "<id-prefix>-<row>", "headline": <text column>, "published_at": <time column>}, \
                keyed by the id. Times such as "19 July 2020", "2020-07-19" or RFC 3339 date-times are \
                converted to RFC 3339 in UTC; other times are left out. Rows with an empty text are skipped.

                The command waits for every delivery report and exits with status 1 if any message \
                could not be delivered. Each failed delivery is reported on standard error when its \
                report arrives. A delivery that times out (after 60 s, or librdkafka's \
                message.timeout.ms) means the broker is not accepting messages, so the command then \
                stops sending the rest.
                """
        )
    }

    static var options: [OptionSpec] {
        [
            .positional("file", help: "JSON-lines or CSV file; '-' reads standard input."),
            .option("topic", short: "t", valueName: "topic", help: "Topic to send to.", default: "news", environment: "SPECTAG_INPUT_TOPIC"),
            .option("brokers", short: "b", valueName: "host:port,...", help: "Kafka bootstrap servers.", default: "127.0.0.1:9092", environment: "SPECTAG_BROKERS"),
            .option("rate", valueName: "n", help: "Messages per second; 0 sends as fast as the broker acknowledges.", default: 0),
            .option("in-flight", valueName: "n", help: "Messages awaiting their delivery report at once; 1 keeps the order of the file, more sends faster but may reorder messages.", default: 1),
            .option("format", valueName: "jsonl|csv", help: "Input format; default: csv for a .csv file, otherwise jsonl."),
            .option("text-column", valueName: "name", help: "CSV column with the headline.", default: "Headlines"),
            .option("time-column", valueName: "name", help: "CSV column with the publication time; ignored when the file has no such column.", default: "Time"),
            .option("id-prefix", valueName: "text", help: "Prefix of the ids of CSV rows; default: the file name without extension."),
            .option("source", valueName: "name", help: "Value of the source field of CSV rows; default: none."),
            .option("limit", valueName: "n", help: "Send at most this many messages; 0 sends all.", default: 0),
            .option("client-properties", valueName: "file", help: "Java-style client.properties file with librdkafka properties.", environment: "SPECTAG_CLIENT_PROPERTIES"),
            .repeated("kafka-property", short: "X", valueName: "key=value", help: "librdkafka property, such as -X security.protocol=SASL_SSL; applied last."),
        ]
    }

    enum Format: String, CaseIterable, ArgumentValue {
        case jsonl
        case csv
    }

    let file: String
    let topic: String
    let brokers: [String]
    let rate: Double
    let format: Format
    let textColumn: String
    let timeColumn: String
    let idPrefix: String
    let source: String?
    let limit: Int
    let inFlight: Int
    let kafkaProperties: KafkaProperties

    init(_ arguments: ParsedArguments) throws {
        file = try arguments.required("file")
        topic = try arguments.required("topic")
        brokers = try arguments.required("brokers", as: String.self).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        rate = try arguments.required("rate")
        guard rate >= 0 else { throw UsageError("--rate must be 0 or more, got \(rate)") }
        format = try arguments.value("format") ?? (file.lowercased().hasSuffix(".csv") ? .csv : .jsonl)
        textColumn = try arguments.required("text-column")
        timeColumn = try arguments.required("time-column")
        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        idPrefix = try arguments.value("id-prefix") ?? (file == "-" ? "stdin" : stem)
        source = try arguments.value("source")
        limit = try arguments.required("limit")
        guard limit >= 0 else { throw UsageError("--limit must be 0 or more, got \(limit)") }
        inFlight = try arguments.required("in-flight")
        guard inFlight >= 1 else { throw UsageError("--in-flight must be at least 1, got \(inFlight)") }
        kafkaProperties = try KafkaClientOptions.properties(
            clientPropertiesFile: arguments.value("client-properties"),
            overrides: arguments.values("kafka-property")
        )
    }

    func run() async throws {
        var records = try readRecords()
        if limit > 0 {
            records = Array(records.prefix(limit))
        }
        var configuration = KafkaProducerConfiguration(bootstrapServers: brokers)
        configuration.clientID = "spectag-produce"
        configuration.deliveryTimeout = .seconds(60)
        configuration.linger = .zero
        configuration.additionalProperties = kafkaProperties
        let producer = try KafkaProducer(configuration: configuration)

        let clock = ContinuousClock()
        let start = clock.now
        let outcome = await send(records, with: producer, start: start)
        await producer.close()
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let delivered = outcome.attempted - outcome.failures
        printToStandardError("sent \(delivered) of \(records.count) messages to \(topic) in \(String(format: "%.2f", seconds)) s")
        if outcome.attempted < records.count {
            printToStandardError(
                "stopped after a delivery timed out; \(records.count - outcome.attempted) messages were not sent. "
                    + "Check that the brokers are reachable and accept messages for \(topic)"
            )
        }
        guard outcome.failures == 0, outcome.attempted == records.count else { throw ExitCode.failure }
    }

    // MARK: Sending

    /// The result of ``send(_:with:start:)``: records handed to the producer, failed deliveries
    /// and whether one of them timed out.
    struct SendOutcome {
        var attempted = 0
        var failures = 0
        var timedOut = false

        /// Counts a finished delivery and prints its error, up to ``ProduceCommand/reportedFailures`` errors.
        mutating func record(index: Int, error: (any Error)?) {
            guard let error else { return }
            failures += 1
            if failures <= ProduceCommand.reportedFailures {
                printToStandardError("message \(index + 1) was not delivered: \(error)")
            } else if failures == ProduceCommand.reportedFailures + 1 {
                printToStandardError("more messages were not delivered; only the first \(ProduceCommand.reportedFailures) are shown")
            }
            if (error as? KafkaError)?.name == "_MSG_TIMED_OUT" { timedOut = true }
        }
    }

    /// Number of failed deliveries printed one by one. Later ones are only counted.
    static let reportedFailures = 10

    /// Sends the records, paced to `rate`, with at most `inFlight` awaiting their delivery
    /// report. Stops sending after a delivery times out and waits for the ones in flight.
    private func send(_ records: [OutgoingRecord], with producer: KafkaProducer, start: ContinuousClock.Instant) async -> SendOutcome {
        let interval: Duration? = rate > 0 ? .nanoseconds(Int64(1e9 / rate)) : nil
        return await withTaskGroup(of: (index: Int, error: (any Error)?).self) { group in
            var outcome = SendOutcome()
            var outstanding = 0
            for (index, item) in records.enumerated() {
                if let interval {
                    try? await Task.sleep(until: start + interval * index, clock: .continuous)
                }
                if outstanding >= inFlight, let finished = await group.next() {
                    outstanding -= 1
                    outcome.record(index: finished.index, error: finished.error)
                }
                if outcome.timedOut { break }
                outstanding += 1
                outcome.attempted += 1
                group.addTask {
                    do {
                        _ = try await producer.send(topic: item.topic, key: item.key, value: item.value)
                        return (index, nil)
                    } catch {
                        return (index, error)
                    }
                }
            }
            for await finished in group {
                outcome.record(index: finished.index, error: finished.error)
            }
            return outcome
        }
    }

    // MARK: Reading

    private func readRecords() throws -> [OutgoingRecord] {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw CLIError("\(file): cannot be opened for reading")
            }
            data = contents
        }
        switch format {
        case .jsonl: return jsonLines(data)
        case .csv: return try csvRows(data)
        }
    }

    /// Splits `data` into lines and keeps the bytes of each non-blank line unchanged.
    private func jsonLines(_ data: Data) -> [OutgoingRecord] {
        var records: [OutgoingRecord] = []
        for var line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if line.last == 0x0D { line = line.dropLast() }
            guard line.contains(where: { ![0x20, 0x09].contains($0) }) else { continue }
            let value = Data(line)
            var key: Data?
            if case .object(let fields)? = try? JSONValue.parse(value), let id = fields["id"]?.stringValue {
                key = Data(id.utf8)
            }
            records.append(OutgoingRecord(topic: topic, key: key, value: value))
        }
        return records
    }

    private func csvRows(_ data: Data) throws -> [OutgoingRecord] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError("\(file): the CSV file is not valid UTF-8")
        }
        let rows = try CSVParser.parse(text, fileName: file)
        guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else { return [] }
        guard let textIndex = header.firstIndex(of: textColumn) else {
            throw CLIError("\(file): no column \"\(textColumn)\"; the columns are \(header.joined(separator: ", ")) (set --text-column)")
        }
        let timeIndex = header.firstIndex(of: timeColumn)
        var records: [OutgoingRecord] = []
        for (number, row) in rows.dropFirst().enumerated() {
            guard textIndex < row.fields.count else { continue }
            let headline = row.fields[textIndex].trimmingCharacters(in: .whitespacesAndNewlines)
            guard !headline.isEmpty else { continue }
            let id = "\(idPrefix)-\(number + 1)"
            var message: [String: String] = ["id": id, "headline": headline]
            if let timeIndex, timeIndex < row.fields.count, let publishedAt = NewsTime.rfc3339(row.fields[timeIndex]) {
                message["published_at"] = publishedAt
            }
            if let source {
                message["source"] = source
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            records.append(OutgoingRecord(topic: topic, key: Data(id.utf8), value: try encoder.encode(message)))
        }
        return records
    }
}

// MARK: - Times in news files

/// Converts the publication times found in news files to RFC 3339.
enum NewsTime {
    private static let months = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ]

    /// Returns `text` as an RFC 3339 date-time in UTC, or `nil` when it has no known form.
    ///
    /// Accepted forms: `19 July 2020` (also `19 Jul 2020`), `2020-07-19`, and RFC 3339
    /// date-times, which are returned unchanged. A date without a time becomes midnight UTC.
    static func rfc3339(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count >= 20, trimmed.dropFirst(10).first == "T" || trimmed.dropFirst(10).first == "t" {
            return trimmed
        }
        let dashed = trimmed.split(separator: "-")
        if dashed.count == 3, let year = Int(dashed[0]), let month = Int(dashed[1]), let day = Int(dashed[2]) {
            return format(year: year, month: month, day: day)
        }
        let words = trimmed.split(separator: " ")
        if words.count == 3, let day = Int(words[0]), let year = Int(words[2]) {
            let name = words[1].lowercased()
            if let index = months.firstIndex(where: { $0 == name || (name.count >= 3 && $0.hasPrefix(name)) }) {
                return format(year: year, month: index + 1, day: day)
            }
        }
        return nil
    }

    private static func format(year: Int, month: Int, day: Int) -> String? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = DateComponents(year: year, month: month, day: day)
        guard (1...9999).contains(year), components.isValidDate(in: calendar) else { return nil }
        return String(format: "%04d-%02d-%02dT00:00:00Z", year, month, day)
    }
}

// MARK: - Kafka options of the client commands

/// The `--client-properties` and `-X` options of `produce` and `consume`.
enum KafkaClientOptions {
    /// Loads the properties file, if any, and applies the `-X` arguments on top.
    ///
    /// - Throws: `KafkaPropertiesError` naming the file or argument.
    static func properties(clientPropertiesFile: String?, overrides: [String]) throws -> KafkaProperties {
        var properties = KafkaProperties()
        if let clientPropertiesFile {
            properties = try KafkaProperties.load(contentsOf: URL(fileURLWithPath: clientPropertiesFile))
        }
        for argument in overrides {
            try properties.applyOverride(argument)
        }
        return properties
    }
}
