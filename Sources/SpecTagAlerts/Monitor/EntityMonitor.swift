// MARK: - Entity monitor

/// The figures that `spectag monitor` shows: mentions per entity in the most recent window
/// and the latest alerts.
///
/// The recent window ends at the stream time, the newest event time read so far, so a
/// replay of old records shows the window as it was at the end of the replay. Mentions
/// older than the window are dropped.
public struct EntityMonitor: Sendable {
    /// One entity's line in the table.
    public struct Row: Sendable, Equatable {
        public var entityKey: String
        /// The newest mention text.
        public var entity: String
        public var entityType: String
        public var mentions: Int
        public var negative: Int
        public var neutral: Int
        public var positive: Int
        public var meanScore: Double
    }

    /// What the monitor shows at one moment.
    public struct Snapshot: Sendable, Equatable {
        /// The newest event time read, or `nil` before the first record.
        public var streamTime: Int64?
        public var window: AlertDuration
        /// The most mentioned entities of the window, most mentions first, then by key.
        public var rows: [Row]
        /// Entities with at least one mention in the window.
        public var entityCount: Int
        /// The latest alerts, newest first.
        public var alerts: [AlertRecord]
        public var recordsRead: Int
        public var alertsRead: Int
        /// Records of either topic that could not be decoded.
        public var invalidRecords: Int
    }

    private struct Mention: Sendable {
        var time: Int64
        var sentiment: SentimentLabel
        var score: Double
    }

    private struct EntityMentions: Sendable {
        var entity: String
        var entityType: String
        /// In the order read; pruned by time, so late mentions may stay a little longer.
        var mentions: [Mention] = []
    }

    public let window: AlertDuration
    public let alertLimit: Int
    private var entities: [String: EntityMentions] = [:]
    private var latestAlerts: [AlertRecord] = []
    private var streamTime: Int64?
    private var recordsRead = 0
    private var alertsRead = 0
    private var invalidRecords = 0

    /// - Parameters:
    ///   - window: the length of the recent window.
    ///   - alertLimit: how many of the latest alerts are kept.
    public init(window: AlertDuration, alertLimit: Int) {
        self.window = window
        self.alertLimit = max(alertLimit, 0)
    }

    // MARK: Input

    /// Counts a mention at its event time; `now` is the processing time of a record
    /// without `processed_at` (see ``AlertEngine/eventTime(of:now:)``).
    public mutating func add(_ record: EntitySentimentRecord, now: Int64) {
        recordsRead += 1
        let time = AlertEngine.eventTime(of: record, now: now)
        streamTime = max(streamTime ?? time, time)
        var entry = entities[record.entityKey] ?? EntityMentions(entity: record.entity, entityType: record.entityType)
        entry.entity = record.entity
        entry.entityType = record.entityType
        entry.mentions.append(Mention(time: time, sentiment: record.sentiment, score: record.sentimentScore))
        entities[record.entityKey] = entry
    }

    /// Keeps an alert among the latest ones.
    public mutating func add(_ alert: AlertRecord) {
        alertsRead += 1
        latestAlerts.append(alert)
        if latestAlerts.count > alertLimit {
            latestAlerts.removeFirst(latestAlerts.count - alertLimit)
        }
    }

    /// Counts a record that could not be decoded.
    public mutating func addInvalidRecord() {
        invalidRecords += 1
    }

    // MARK: Output

    /// Drops mentions that left the window and returns the `top` most mentioned entities.
    public mutating func snapshot(top: Int) -> Snapshot {
        if let streamTime {
            let start = streamTime - window.milliseconds
            for key in Array(entities.keys) {
                entities[key]?.mentions.removeAll { $0.time <= start }
                if entities[key]?.mentions.isEmpty == true {
                    entities[key] = nil
                }
            }
        }
        let rows = entities.map { key, entry in Self.row(key: key, entry) }
            .sorted { ($0.mentions, $1.entityKey) > ($1.mentions, $0.entityKey) }
        return Snapshot(
            streamTime: streamTime,
            window: window,
            rows: Array(rows.prefix(max(top, 0))),
            entityCount: rows.count,
            alerts: latestAlerts.reversed(),
            recordsRead: recordsRead,
            alertsRead: alertsRead,
            invalidRecords: invalidRecords
        )
    }

    private static func row(key: String, _ entry: EntityMentions) -> Row {
        var row = Row(
            entityKey: key, entity: entry.entity, entityType: entry.entityType,
            mentions: entry.mentions.count, negative: 0, neutral: 0, positive: 0, meanScore: 0
        )
        var scoreSum = 0.0
        for mention in entry.mentions {
            scoreSum += mention.score
            switch mention.sentiment {
            case .negative: row.negative += 1
            case .neutral: row.neutral += 1
            case .positive: row.positive += 1
            }
        }
        row.meanScore = row.mentions > 0 ? scoreSum / Double(row.mentions) : 0
        return row
    }
}
