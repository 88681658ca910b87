import Foundation
import SpecTagKafka
import SpecTagLogging
import SpecTagMetrics

// MARK: - Pipeline state

/// The shared state of a running service: offsets in flight, the open batch, the current
/// assignment and flow control.
///
/// The poll loop calls ``accept(_:)`` for each message and ``updateAssignment(_:)`` after
/// each poll, in the order librdkafka returned them, so a rebalance always takes effect
/// before the messages that follow it. Closed batches go to ``batches``.
actor Pipeline {
    nonisolated let batches: AsyncStream<[WorkItem]>
    private let batchContinuation: AsyncStream<[WorkItem]>.Continuation
    private let consumer: KafkaConsumer
    private let decoder: NewsMessageDecoder
    private let metrics: ServiceMetrics
    private let readiness: ReadinessFlag
    private let logger: Logger
    private let maxInFlight: Int
    private let storesOffsets: Bool

    private var tracker = OffsetTracker()
    private var batcher: MicroBatcher<WorkItem>
    private var assignment: Set<KafkaTopicPartition> = []
    private var isPaused = false
    private var isInputClosed = false
    private var storedSinceCommit = false

    init(
        consumer: KafkaConsumer,
        decoder: NewsMessageDecoder,
        batchLimits: MicroBatcher<WorkItem>.Limits,
        maxInFlight: Int,
        storesOffsets: Bool,
        metrics: ServiceMetrics,
        readiness: ReadinessFlag,
        logger: Logger
    ) {
        (batches, batchContinuation) = AsyncStream<[WorkItem]>.makeStream()
        self.consumer = consumer
        self.decoder = decoder
        self.batcher = MicroBatcher(limits: batchLimits)
        self.maxInFlight = maxInFlight
        self.storesOffsets = storesOffsets
        self.metrics = metrics
        self.readiness = readiness
        self.logger = logger
    }

    // MARK: Input

    /// Admits a consumed message: tracks its offset, validates it and adds it to the open batch.
    func accept(_ message: KafkaConsumerMessage) {
        guard !isInputClosed else { return }
        metrics.recordConsumed(topic: message.topic)
        let ticket = tracker.begin(message.topicPartition, offset: message.offset)
        let content = decoder.decode(message.value)
        if case .failure(let rejection) = content {
            logRejection(rejection, message: message)
        }
        let item = WorkItem(message: message, ticket: ticket, receivedAt: .now, content: content)
        for batch in batcher.append(item, cost: item.cost, now: .now) {
            emit(batch)
        }
        if let due = batcher.takeIfDue(now: .now) {
            emit(due)
        }
        metrics.inFlight.set(tracker.inFlightCount)
        pauseIfFull()
    }

    /// Closes the open batch if its wait time is over and returns when the next one is due.
    func flushDueBatch() -> ContinuousClock.Instant? {
        if let batch = batcher.takeIfDue(now: .now) {
            emit(batch)
        }
        return batcher.deadline
    }

    /// Stops admitting messages, closes the open batch and ends ``batches``.
    func closeInput() {
        guard !isInputClosed else { return }
        isInputClosed = true
        emit(batcher.takeAll())
        batchContinuation.finish()
    }

    private func emit(_ batch: [WorkItem]) {
        guard !batch.isEmpty else { return }
        batchContinuation.yield(batch)
    }

    private func logRejection(_ rejection: InputRejection, message: KafkaConsumerMessage) {
        logger.rateLimited(key: "rejected-\(rejection.reason.rawValue)", every: 10).warning(
            "invalid input message; sending it to the dead-letter topic",
            [
                "reason": .string(rejection.reason.rawValue),
                "error": .string(rejection.message),
                "message_id": .string(rejection.messageID ?? ""),
                "topic": .string(message.topic),
                "partition": .int(Int(message.partition)),
                "offset": .int(Int(message.offset)),
            ]
        )
    }

    // MARK: Completion

    /// Returns whether the ticket's partition is still assigned in the ticket's epoch, so its
    /// outputs are still worth delivering and its offset may be committed.
    func isCurrent(_ ticket: OffsetTracker.Ticket) -> Bool {
        tracker.isCurrent(ticket)
    }

    /// Marks delivered items as finished, stores the offsets that advanced (unless the
    /// service commits through transactions) and resumes paused input once half the
    /// in-flight limit is free.
    func finish(_ items: [ProcessedItem]) {
        var finished = 0
        for processed in items where tracker.complete(processed.item.ticket) {
            finished += 1
            metrics.recordDelivered(processed.records)
            if let reason = processed.deadLetterReason {
                metrics.recordDeadLetter(reason)
            }
            metrics.draftTokens.increment(by: processed.draftTokens)
            metrics.acceptedTokens.increment(by: processed.acceptedTokens)
            metrics.endToEndSeconds.observe(endToEndSeconds(processed.item))
        }
        if storesOffsets {
            storeAdvancedOffsets()
        } else {
            _ = tracker.takeAdvancedOffsets()
        }
        metrics.inFlight.set(tracker.inFlightCount)
        resumeIfDrained()
    }

    private func endToEndSeconds(_ item: WorkItem) -> Double {
        if let timestamp = item.message.timestamp {
            let seconds = Date().timeIntervalSince(timestamp)
            if seconds >= 0 { return seconds }
        }
        let elapsed = ContinuousClock.now - item.receivedAt
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    private func storeAdvancedOffsets() {
        let advanced = tracker.takeAdvancedOffsets().filter { assignment.contains($0.key) }
        guard !advanced.isEmpty else { return }
        do {
            try consumer.storeOffsets(advanced)
            storedSinceCommit = true
        } catch {
            // A partition revoked between the poll and now rejects the store; its new
            // owner reprocesses from the last commit.
            logger.rateLimited(key: "store-offsets", every: 10).warning(
                "storing offsets failed; the messages will be processed again after the next rebalance",
                ["offsets": .string(describe(advanced)), "error": .string("\(error)")]
            )
        }
    }

    /// Returns whether offsets were stored since the last call, and resets the flag.
    func takeStoredSinceCommit() -> Bool {
        defer { storedSinceCommit = false }
        return storedSinceCommit
    }

    /// Sets the flag again after a failed commit, so the next interval retries it.
    func markStoredSinceCommit() {
        storedSinceCommit = true
    }

    /// Returns the offsets that completing `items` would make committable, for a
    /// transaction. Items of revoked partitions are left out.
    func transactionOffsets(for items: [ProcessedItem]) -> [KafkaTopicPartition: Int64] {
        let tickets = items.map(\.item.ticket).filter { tracker.isCurrent($0) }
        return tracker.committableOffsets(completing: tickets)
    }

    // MARK: Flow control

    /// Messages admitted and not yet finished.
    var inFlightCount: Int { tracker.inFlightCount }

    private func pauseIfFull() {
        guard !isPaused, tracker.inFlightCount >= maxInFlight, !assignment.isEmpty else { return }
        do {
            try consumer.pause(assignment.sorted())
            isPaused = true
            metrics.paused.set(1)
            logger.info("in-flight limit reached; pausing the input partitions", [
                "in_flight": .int(tracker.inFlightCount),
                "max_in_flight_messages": .int(maxInFlight),
                "partitions": .string(assignment.sorted().map(\.description).joined(separator: ",")),
            ])
        } catch {
            logger.rateLimited(key: "pause", every: 10).error("pausing the input partitions failed", ["error": .string("\(error)")])
        }
    }

    private func resumeIfDrained() {
        guard isPaused, tracker.inFlightCount <= maxInFlight / 2 else { return }
        do {
            try consumer.resume(assignment.sorted())
            isPaused = false
            metrics.paused.set(0)
            logger.info("resuming the input partitions", ["in_flight": .int(tracker.inFlightCount)])
        } catch {
            logger.rateLimited(key: "resume", every: 10).error("resuming the input partitions failed", ["error": .string("\(error)")])
        }
    }

    // MARK: Rebalances

    /// Finishes the work of partitions that are about to be revoked, before the consumer
    /// commits their offsets and releases them.
    ///
    /// Their messages still waiting in the open batch go to processing at once. Then it
    /// waits until every message of those partitions is delivered and its offset stored, or
    /// until `timeout` has passed. It returns at once after ``closeInput()``, because a
    /// shutdown has finished or given up on the work in flight by then.
    ///
    /// - Returns: the messages of `partitions` still in flight; they are dropped by
    ///   ``updateAssignment(_:)`` and processed again by the partitions' next owner.
    func finishRevoked(_ partitions: Set<KafkaTopicPartition>, timeout: Duration) async -> Int {
        guard !isInputClosed else { return tracker.inFlightCount(in: partitions) }
        let waiting = batcher.removeAll(where: { partitions.contains($0.message.topicPartition) }, cost: \.cost)
        emit(waiting)
        let deadline = ContinuousClock.now + timeout
        while tracker.inFlightCount(in: partitions) > 0, ContinuousClock.now < deadline {
            // Suspending here lets `finish(_:)` run, which completes the work and stores offsets.
            try? await Task.sleep(for: .milliseconds(5))
        }
        return tracker.inFlightCount(in: partitions)
    }

    /// Applies a change of the consumer's assignment. Revoked partitions lose what is left of
    /// their work in flight, which ``finishRevoked(_:timeout:)`` normally finished first, and
    /// their messages in the open batch. Assigned partitions are paused at once while the
    /// in-flight limit is reached.
    func updateAssignment(_ current: Set<KafkaTopicPartition>) {
        guard current != assignment else { return }
        let revoked = assignment.subtracting(current)
        let added = current.subtracting(assignment)
        assignment = current

        if !revoked.isEmpty {
            // Lost partitions, and revoked ones whose work outlasted the rebalance drain
            // timeout, still have work here. Its outputs may still be delivered and the new
            // owner processes the messages again: duplicates, never a loss.
            let dropped = tracker.remove(revoked)
            let unbatched = batcher.removeAll(where: { revoked.contains($0.message.topicPartition) }, cost: \.cost)
            logger.log(level: dropped + unbatched.count > 0 ? .warning : .info, "partitions revoked; unfinished messages are dropped", [
                "partitions": .string(revoked.sorted().map(\.description).joined(separator: ",")),
                "dropped_in_flight": .int(dropped),
                "dropped_unbatched": .int(unbatched.count),
            ])
        }
        if !added.isEmpty {
            logger.info("partitions assigned", [
                "partitions": .string(added.sorted().map(\.description).joined(separator: ",")),
            ])
            if isPaused {
                try? consumer.pause(added.sorted())
            }
        }
        if assignment.isEmpty {
            readiness.markNotReady("no partitions assigned")
        } else {
            readiness.markReady()
        }
        metrics.inFlight.set(tracker.inFlightCount)
        resumeIfDrained()
    }

    // MARK: Final offsets

    /// Stores every offset that advanced, for the last commit before the consumer closes.
    func storeFinalOffsets() {
        if storesOffsets {
            storeAdvancedOffsets()
        }
    }
}

/// Formats offsets as `topic[partition]@offset` items.
func describe(_ offsets: [KafkaTopicPartition: Int64]) -> String {
    offsets.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value)" }.joined(separator: ",")
}
