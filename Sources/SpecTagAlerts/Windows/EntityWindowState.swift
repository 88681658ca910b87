// MARK: - Entity state

/// Everything the alert stage keeps about one entity: its buckets, recent mentions and last
/// alert times. It is also the value of the entity's record on the changelog topic.
public struct EntityWindowState: Codable, Sendable, Equatable {
    /// The value of the `schema` field in the changelog.
    public static let schemaName = "spectag.alert_state.v1"

    public var entityKey: String
    /// The most recent mention text, used in alerts.
    public var entity: String
    public var entityType: String
    /// The newest event time counted for this entity, in milliseconds since the epoch.
    /// Records older than this minus the allowed lateness are late.
    public var watermark: Int64
    /// Non-empty buckets in ascending order of start.
    public var buckets: [WindowBucket]
    /// The newest mentions in ascending event time, kept to list the triggers of an alert.
    public var recentMentions: [RecentMention]
    /// Per rule, the end of the window of its last alert.
    public var lastAlertWindowEnds: [AlertRuleName: Int64]
    /// The input partition and offset of the last record counted, so that a record read
    /// again after a restart is not counted twice.
    public var partition: Int32?
    public var appliedOffset: Int64?

    public init(entityKey: String, entity: String, entityType: String, watermark: Int64) {
        self.entityKey = entityKey
        self.entity = entity
        self.entityType = entityType
        self.watermark = watermark
        self.buckets = []
        self.recentMentions = []
        self.lastAlertWindowEnds = [:]
    }

    // MARK: Updating

    /// Adds a mention to the bucket that contains `eventTime`.
    mutating func addMention(_ mention: RecentMention, slide: Int64, recentLimit: Int) {
        let bucketStart = floorDivide(mention.trigger.eventTime, slide) * slide
        let index = buckets.partitionIndex { $0.start >= bucketStart }
        if index == buckets.endIndex || buckets[index].start != bucketStart {
            buckets.insert(WindowBucket(start: bucketStart), at: index)
        }
        buckets[index].add(mention.trigger.sentiment, score: mention.trigger.sentimentScore)

        guard recentLimit > 0 else { return }
        let position = recentMentions.partitionIndex { $0.trigger.eventTime > mention.trigger.eventTime }
        recentMentions.insert(mention, at: position)
        if recentMentions.count > recentLimit {
            recentMentions.removeFirst(recentMentions.count - recentLimit)
        }
    }

    /// Drops buckets that start before `bucketHorizon` and recent mentions before
    /// `mentionHorizon`.
    mutating func prune(bucketHorizon: Int64, mentionHorizon: Int64) {
        let firstBucket = buckets.partitionIndex { $0.start >= bucketHorizon }
        buckets.removeFirst(firstBucket)
        let firstMention = recentMentions.partitionIndex { $0.trigger.eventTime >= mentionHorizon }
        recentMentions.removeFirst(firstMention)
    }

    // MARK: Reading

    /// Returns the sums of the buckets that start in `[start, end)`.
    func totals(from start: Int64, to end: Int64) -> BucketTotals {
        var totals = BucketTotals()
        let first = buckets.partitionIndex { $0.start >= start }
        for bucket in buckets[first...] {
            guard bucket.start < end else { break }
            totals.add(bucket)
        }
        return totals
    }

    // MARK: JSON

    enum CodingKeys: String, CodingKey {
        case schema, entity, watermark, buckets, partition
        case entityKey = "entity_key"
        case entityType = "entity_type"
        case recentMentions = "recent_mentions"
        case lastAlertWindowEnds = "last_alert_window_ends"
        case appliedOffset = "applied_offset"
    }

    /// - Throws: ``InvalidRecordError`` for a wrong schema or an unknown rule name, and
    ///   `DecodingError` for malformed JSON.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let schema = try container.decode(String.self, forKey: .schema)
        guard schema == Self.schemaName else {
            throw InvalidRecordError(field: "schema", problem: "expected \"\(Self.schemaName)\", found \"\(schema)\"")
        }
        entityKey = try container.decode(String.self, forKey: .entityKey)
        entity = try container.decode(String.self, forKey: .entity)
        entityType = try container.decode(String.self, forKey: .entityType)
        watermark = try container.decode(Int64.self, forKey: .watermark)
        buckets = try container.decode([WindowBucket].self, forKey: .buckets).sorted { $0.start < $1.start }
        recentMentions = try container.decode([RecentMention].self, forKey: .recentMentions)
            .sorted { $0.trigger.eventTime < $1.trigger.eventTime }
        var ends: [AlertRuleName: Int64] = [:]
        for (name, end) in try container.decode([String: Int64].self, forKey: .lastAlertWindowEnds) {
            guard let rule = AlertRuleName(rawValue: name) else {
                throw InvalidRecordError(field: "last_alert_window_ends", problem: "unknown rule \"\(name)\"")
            }
            ends[rule] = end
        }
        lastAlertWindowEnds = ends
        partition = try container.decodeIfPresent(Int32.self, forKey: .partition)
        appliedOffset = try container.decodeIfPresent(Int64.self, forKey: .appliedOffset)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaName, forKey: .schema)
        try container.encode(entityKey, forKey: .entityKey)
        try container.encode(entity, forKey: .entity)
        try container.encode(entityType, forKey: .entityType)
        try container.encode(watermark, forKey: .watermark)
        try container.encode(buckets, forKey: .buckets)
        try container.encode(recentMentions, forKey: .recentMentions)
        let ends = Dictionary(uniqueKeysWithValues: lastAlertWindowEnds.map { ($0.key.rawValue, $0.value) })
        try container.encode(ends, forKey: .lastAlertWindowEnds)
        try container.encodeIfPresent(partition, forKey: .partition)
        try container.encodeIfPresent(appliedOffset, forKey: .appliedOffset)
    }
}

/// A recent mention of an entity, kept until it is too old to be listed in an alert.
public struct RecentMention: Codable, Sendable, Equatable {
    public var trigger: AlertTrigger
    public var tickers: [String]

    public init(trigger: AlertTrigger, tickers: [String]) {
        self.trigger = trigger
        self.tickers = tickers
    }

    enum CodingKeys: String, CodingKey {
        case trigger, tickers
    }
}

// MARK: - Binary search

extension Array {
    /// Returns the index of the first element that satisfies `predicate`, or `endIndex`.
    /// The array must be partitioned: all elements that fail come first.
    func partitionIndex(where predicate: (Element) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }
}
