import SpecTagKafka

// MARK: - Offset tracker

/// Tracks the messages in flight per partition and the offset that may be committed.
///
/// Messages of one partition arrive in offset order but may finish in any order. The
/// committable offset of a partition is the offset of its first unfinished message, or one
/// past the last message when all are finished: committing it never skips a message whose
/// outputs are not yet delivered.
///
/// Each partition has an epoch that changes when the partition is revoked or when its
/// offsets go backwards (the consumer was rewound). ``begin(_:offset:)`` returns a
/// ``Ticket`` carrying the epoch, and ``complete(_:)`` ignores tickets of an older epoch,
/// so late work for a partition the service lost never moves its offsets.
public struct OffsetTracker: Sendable {
    /// Identifies one message admitted by ``begin(_:offset:)``.
    public struct Ticket: Sendable, Hashable {
        public let partition: KafkaTopicPartition
        public let offset: Int64
        let epoch: Int
    }

    private struct PartitionState {
        var epoch: Int
        /// Offsets in arrival order; those before `head` are finished and removed.
        var pending: [Int64] = []
        var head = 0
        var finished: Set<Int64> = []
        var lastSeen: Int64?
        /// The next offset to read once everything before it is finished.
        var committable: Int64?
        /// The committable offset last returned by `takeAdvancedOffsets`.
        var reported: Int64?

        var inFlight: Int { pending.count - head }
    }

    private var partitions: [KafkaTopicPartition: PartitionState] = [:]
    private var nextEpoch = 1

    public init() {}

    // MARK: Messages

    /// Admits the message at `offset` and returns its ticket.
    ///
    /// An offset at or below the last one seen means the consumer was rewound, for example
    /// after the partition was revoked and assigned again. The partition then starts a new
    /// epoch: work in flight from before can no longer complete.
    public mutating func begin(_ partition: KafkaTopicPartition, offset: Int64) -> Ticket {
        var state = partitions[partition] ?? makeState()
        if let lastSeen = state.lastSeen, offset <= lastSeen {
            state = makeState()
        }
        state.pending.append(offset)
        state.lastSeen = offset
        partitions[partition] = state
        return Ticket(partition: partition, offset: offset, epoch: state.epoch)
    }

    /// Marks the ticket's message as finished and advances the committable offset over
    /// every finished message at the front.
    ///
    /// - Returns: `false` when the ticket belongs to a revoked or rewound partition, or was
    ///   completed before; nothing changes then.
    @discardableResult
    public mutating func complete(_ ticket: Ticket) -> Bool {
        guard var state = partitions[ticket.partition], state.epoch == ticket.epoch,
              state.pending[state.head...].contains(ticket.offset),
              !state.finished.contains(ticket.offset)
        else {
            return false
        }
        state.finished.insert(ticket.offset)
        while state.head < state.pending.count, state.finished.contains(state.pending[state.head]) {
            let offset = state.pending[state.head]
            state.finished.remove(offset)
            state.committable = offset + 1
            state.head += 1
        }
        if state.head > 1024, state.head * 2 > state.pending.count {
            state.pending.removeFirst(state.head)
            state.head = 0
        }
        partitions[ticket.partition] = state
        return true
    }

    /// Returns whether `ticket` belongs to the current epoch of its partition.
    public func isCurrent(_ ticket: Ticket) -> Bool {
        partitions[ticket.partition]?.epoch == ticket.epoch
    }

    // MARK: Offsets

    /// Returns the committable offset per partition that moved since the last call, and
    /// remembers it as reported. Partitions without a finished message are left out.
    public mutating func takeAdvancedOffsets() -> [KafkaTopicPartition: Int64] {
        var advanced: [KafkaTopicPartition: Int64] = [:]
        for (partition, var state) in partitions {
            guard let committable = state.committable, committable != state.reported else { continue }
            advanced[partition] = committable
            state.reported = committable
            partitions[partition] = state
        }
        return advanced
    }

    /// Returns the committable offset of `partition`, or `nil` before its first finished message.
    public func committableOffset(_ partition: KafkaTopicPartition) -> Int64? {
        partitions[partition]?.committable
    }

    /// Returns the committable offsets that completing `tickets` would give, without
    /// completing them. Tickets of an older epoch are ignored.
    public func committableOffsets(completing tickets: [Ticket]) -> [KafkaTopicPartition: Int64] {
        var copy = self
        for ticket in tickets {
            copy.complete(ticket)
        }
        var offsets: [KafkaTopicPartition: Int64] = [:]
        for partition in Set(tickets.map(\.partition)) {
            if let offset = copy.committableOffset(partition) {
                offsets[partition] = offset
            }
        }
        return offsets
    }

    // MARK: Partitions

    /// Forgets `removed` partitions, as after a revocation, and returns how many of their
    /// messages were still in flight. Their tickets no longer complete.
    @discardableResult
    public mutating func remove(_ removed: some Sequence<KafkaTopicPartition>) -> Int {
        var dropped = 0
        for partition in removed {
            dropped += partitions.removeValue(forKey: partition)?.inFlight ?? 0
        }
        return dropped
    }

    /// Messages admitted and not yet finished, over all partitions.
    public var inFlightCount: Int {
        partitions.values.reduce(0) { $0 + $1.inFlight }
    }

    /// Messages of `partition` admitted and not yet finished.
    public func inFlightCount(_ partition: KafkaTopicPartition) -> Int {
        partitions[partition]?.inFlight ?? 0
    }

    /// Messages of `partitions` admitted and not yet finished.
    public func inFlightCount(in partitions: Set<KafkaTopicPartition>) -> Int {
        partitions.reduce(0) { $0 + inFlightCount($1) }
    }

    private mutating func makeState() -> PartitionState {
        defer { nextEpoch += 1 }
        return PartitionState(epoch: nextEpoch)
    }
}
