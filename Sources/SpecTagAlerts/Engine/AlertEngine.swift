// MARK: - Record position

/// The input partition and offset of a record.
public struct RecordPosition: Sendable, Hashable {
    public var partition: Int32
    public var offset: Int64

    public init(partition: Int32, offset: Int64) {
        self.partition = partition
        self.offset = offset
    }
}

// MARK: - Engine

/// The windows and rules of the alert stage, without Kafka: it counts records into each
/// entity's sliding windows, evaluates the rules and returns alerts.
///
/// Time comes from the records. A record's event time is `published_at`. When that is
/// missing, it is the processing time: `processed_at`, or the engine's clock when that is
/// missing too. A `published_at` after the processing time is clamped to it, so a wrong
/// clock at a news source cannot move an entity's watermark into the future.
///
/// Each counted record is evaluated against the window that ends at the end of the
/// record's slide interval, so that window contains the record. Evaluating only on a
/// record means that a window which meets a rule because older mentions left it is noticed
/// at the entity's next mention.
///
/// The engine is a value type and not thread-safe; one task owns it.
public struct AlertEngine: Sendable {
    /// The result of ``process(_:at:)``.
    public enum Outcome: Sendable, Equatable {
        /// The record was counted. `alerts` are the rules that fired; `suppressed` are rules
        /// whose condition held but whose cooldown was still running.
        case counted(alerts: [AlertRecord], suppressed: [AlertRuleName])
        /// The record was older than the entity's watermark minus the allowed lateness and
        /// changed nothing.
        case late(eventTime: Int64, watermark: Int64)
        /// The record's position is at or before the entity's applied offset: it was
        /// counted before a restart and is skipped.
        case alreadyCounted
    }

    public let configuration: AlertConfiguration
    let clock: any AlertClock
    private var states: [String: EntityWindowState] = [:]
    /// The newest event time counted per input partition; `-1` for records without position.
    private var streamTimes: [Int32: Int64] = [:]

    /// - Important: call ``AlertConfiguration/validate()`` first. The engine assumes a
    ///   positive slide and a window that is a multiple of it.
    public init(configuration: AlertConfiguration, clock: any AlertClock = SystemAlertClock()) {
        self.configuration = configuration
        self.clock = clock
    }

    // MARK: Processing

    /// Counts `record` into its entity's windows and evaluates the rules.
    ///
    /// - Parameter position: the record's input partition and offset, or `nil` when it was
    ///   not read from Kafka. With a position, a record at or before the entity's applied
    ///   offset in the same partition is skipped as ``Outcome/alreadyCounted``.
    public mutating func process(_ record: EntitySentimentRecord, at position: RecordPosition? = nil) -> Outcome {
        let eventTime = eventTime(of: record)
        let key = record.entityKey
        if let state = states[key], let position, state.partition == position.partition,
           let applied = state.appliedOffset, position.offset <= applied {
            return .alreadyCounted
        }
        if let state = states[key], eventTime < state.watermark - configuration.allowedLateness.milliseconds {
            return .late(eventTime: eventTime, watermark: state.watermark)
        }

        var state = states[key] ?? EntityWindowState(
            entityKey: key, entity: record.entity, entityType: record.entityType, watermark: eventTime
        )
        state.entity = record.entity
        state.entityType = record.entityType
        state.watermark = max(state.watermark, eventTime)
        if let position {
            state.partition = position.partition
            state.appliedOffset = position.offset
        }
        let trigger = AlertTrigger(
            messageID: record.messageID,
            headline: record.headline,
            sentiment: record.sentiment,
            sentimentScore: record.sentimentScore,
            eventTime: eventTime
        )
        state.addMention(RecentMention(trigger: trigger, tickers: record.tickers), slide: slide, recentLimit: recentMentionLimit)
        prune(&state)

        let windowEnd = floorDivide(eventTime, slide) * slide + slide
        let (alerts, suppressed) = evaluateRules(for: &state, windowEnd: windowEnd)
        states[key] = state
        let streamKey = position?.partition ?? -1
        streamTimes[streamKey] = max(streamTimes[streamKey] ?? eventTime, eventTime)
        return .counted(alerts: alerts, suppressed: suppressed)
    }

    /// Returns the event time of `record` in milliseconds; see the type's documentation.
    public func eventTime(of record: EntitySentimentRecord) -> Int64 {
        Self.eventTime(of: record, now: Timestamp.milliseconds(of: clock.now()))
    }

    /// Returns the event time of `record` in milliseconds, with `now` as the processing time
    /// of a record without `processed_at`.
    public static func eventTime(of record: EntitySentimentRecord, now: Int64) -> Int64 {
        let processingTime = record.processedAt ?? now
        guard let published = record.publishedAt else { return processingTime }
        return min(published, processingTime)
    }

    // MARK: State

    /// The entities whose state is kept.
    public var entityCount: Int { states.count }

    /// Returns the state of the entity with `key`, or `nil` when none is kept.
    public func state(ofEntity key: String) -> EntityWindowState? {
        states[key]
    }

    /// Replaces the state of the restored entities, for example after reading the changelog.
    public mutating func restore(_ restored: [EntityWindowState]) {
        for state in restored {
            states[state.entityKey] = state
            let streamKey = state.partition ?? -1
            streamTimes[streamKey] = max(streamTimes[streamKey] ?? state.watermark, state.watermark)
        }
    }

    /// Forgets the entities last counted from `partitions`, for example after the partitions
    /// were revoked. Returns how many were removed.
    @discardableResult
    public mutating func removeEntities(inPartitions partitions: Set<Int32>) -> Int {
        let removed = states.values.filter { $0.partition.map(partitions.contains) ?? false }
        for state in removed {
            states[state.entityKey] = nil
        }
        for partition in partitions {
            streamTimes[partition] = nil
        }
        return removed.count
    }

    /// Removes and returns the entities with no mention within ``retention`` of the newest
    /// event time of their partition. Their windows are empty and their cooldowns over, so
    /// forgetting them changes no future alert.
    public mutating func evictIdleEntities() -> [EntityWindowState] {
        let evicted = states.values.filter { state in
            guard let streamTime = streamTimes[state.partition ?? -1] else { return false }
            return streamTime - state.watermark > retention
        }
        for state in evicted {
            states[state.entityKey] = nil
        }
        return evicted
    }

    /// How long an entity's state matters after its newest mention: the allowed lateness,
    /// the baseline and current windows, one slide, and the longest cooldown.
    public var retention: Int64 {
        let longestCooldown = AlertRuleName.allCases.map { configuration.rules.cooldown(of: $0).milliseconds }.max() ?? 0
        return bucketSpan + max(longestCooldown, window)
    }

    // MARK: Windows

    private var slide: Int64 { configuration.slide.milliseconds }
    private var window: Int64 { configuration.window.milliseconds }

    /// How far before the earliest window end that a record may still update the buckets
    /// are needed: the current window and the longer of the baseline and previous windows.
    private var bucketSpan: Int64 {
        configuration.allowedLateness.milliseconds + slide + window
            + window * Int64(max(configuration.rules.volumeSpike.baselineWindows, 1))
    }

    private var recentMentionLimit: Int { configuration.maxTriggers * 3 }

    private func prune(_ state: inout EntityWindowState) {
        let earliestCounted = state.watermark - configuration.allowedLateness.milliseconds
        let earliestWindowEnd = floorDivide(earliestCounted, slide) * slide + slide
        let baselineWindows = Int64(max(configuration.rules.volumeSpike.baselineWindows, 1))
        state.prune(
            bucketHorizon: earliestWindowEnd - window - window * baselineWindows,
            mentionHorizon: earliestWindowEnd - window
        )
    }
}
