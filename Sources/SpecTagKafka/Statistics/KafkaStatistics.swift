import Foundation

// MARK: - Statistics

/// One librdkafka statistics report (`statistics.interval.ms`), reduced to per-partition
/// offsets and lag. ``json`` contains the full report for anything else.
///
/// Field meanings follow librdkafka's STATISTICS.md. Offsets that librdkafka does not know
/// yet are -1 or -1001.
public struct KafkaStatistics: Sendable {
    /// librdkafka's instance name (`name`), such as `spectag#consumer-1`.
    public let clientName: String
    /// Wall-clock time of the report (`time`, seconds since the epoch).
    public let time: Date
    /// Partitions per topic. librdkafka's internal partition -1 is left out.
    public let topics: [String: [Int32: KafkaPartitionStatistics]]
    /// The report as librdkafka produced it.
    public let json: String

    /// Returns `consumer_lag` of one partition, or `nil` when the report has no such
    /// partition or librdkafka does not know the lag yet (-1).
    public func consumerLag(topic: String, partition: Int32) -> Int64? {
        guard let lag = topics[topic]?[partition]?.consumerLag, lag >= 0 else { return nil }
        return lag
    }

    /// Parses a report.
    ///
    /// - Throws: `DecodingError` when the JSON lacks `name` or `time` or is malformed.
    public init(json: String) throws {
        let report = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
        var topics: [String: [Int32: KafkaPartitionStatistics]] = [:]
        for (topic, topicReport) in report.topics ?? [:] {
            var partitions: [Int32: KafkaPartitionStatistics] = [:]
            for (key, partitionReport) in topicReport.partitions ?? [:] {
                guard let partition = Int32(key), partition >= 0 else { continue }
                partitions[partition] = KafkaPartitionStatistics(partition: partition, report: partitionReport)
            }
            topics[topic] = partitions
        }
        self.clientName = report.name
        self.time = Date(timeIntervalSince1970: Double(report.time))
        self.topics = topics
        self.json = json
    }

    // MARK: JSON layout

    fileprivate struct Report: Decodable {
        var name: String
        var time: Int64
        var topics: [String: TopicReport]?
    }

    fileprivate struct TopicReport: Decodable {
        var partitions: [String: PartitionReport]?
    }

    fileprivate struct PartitionReport: Decodable {
        var fetchState: String?
        var highWatermark: Int64?
        var lastStableOffset: Int64?
        var applicationOffset: Int64?
        var storedOffset: Int64?
        var committedOffset: Int64?
        var consumerLag: Int64?
        var consumerLagStored: Int64?

        enum CodingKeys: String, CodingKey {
            case fetchState = "fetch_state"
            case highWatermark = "hi_offset"
            case lastStableOffset = "ls_offset"
            case applicationOffset = "app_offset"
            case storedOffset = "stored_offset"
            case committedOffset = "committed_offset"
            case consumerLag = "consumer_lag"
            case consumerLagStored = "consumer_lag_stored"
        }
    }
}

/// Offsets and lag of one partition in a ``KafkaStatistics`` report.
public struct KafkaPartitionStatistics: Sendable, Equatable {
    public let partition: Int32
    /// `fetch_state`, such as `active`, `stopped` or `none`.
    public let fetchState: String
    /// `hi_offset`: the partition's high watermark.
    public let highWatermark: Int64
    /// `ls_offset`: the last stable offset, which `read_committed` consumers read up to.
    public let lastStableOffset: Int64
    /// `app_offset`: the offset after the last message handed to the application.
    public let applicationOffset: Int64
    /// `stored_offset`: the offset stored for the next commit.
    public let storedOffset: Int64
    /// `committed_offset`: the last committed offset.
    public let committedOffset: Int64
    /// `consumer_lag`: high watermark (or last stable offset for `read_committed`) minus
    /// the committed offset; -1 when unknown.
    public let consumerLag: Int64
    /// `consumer_lag_stored`: like `consumerLag`, measured from the stored offset.
    public let consumerLagStored: Int64

    fileprivate init(partition: Int32, report: KafkaStatistics.PartitionReport) {
        self.partition = partition
        self.fetchState = report.fetchState ?? "none"
        self.highWatermark = report.highWatermark ?? -1
        self.lastStableOffset = report.lastStableOffset ?? -1
        self.applicationOffset = report.applicationOffset ?? -1
        self.storedOffset = report.storedOffset ?? -1
        self.committedOffset = report.committedOffset ?? -1
        self.consumerLag = report.consumerLag ?? -1
        self.consumerLagStored = report.consumerLagStored ?? -1
    }
}

// MARK: - Statistics callback

/// `stats_cb`: parses the report and passes it to a consumer's event stream. Returning 0
/// lets librdkafka free the JSON buffer.
func forwardStatistics(
    handle: OpaquePointer?,
    json: UnsafeMutablePointer<CChar>?,
    length: Int,
    opaque: UnsafeMutableRawPointer?
) -> Int32 {
    guard let json else { return 0 }
    let text = String(decoding: UnsafeRawBufferPointer(start: json, count: length), as: UTF8.self)
    do {
        let statistics = try KafkaStatistics(json: text)
        ClientCallbacks.from(opaque)?.consumerEvents?.yield(.statistics(statistics))
    } catch {
        kafkaLogger.warning("invalid librdkafka statistics JSON", ["error": .string("\(error)")])
    }
    return 0
}
