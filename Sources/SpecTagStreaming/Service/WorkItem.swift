import SpecTagKafka

// MARK: - Work items

/// One consumed message on its way through the service.
struct WorkItem: Sendable {
    let message: KafkaConsumerMessage
    let ticket: OffsetTracker.Ticket
    let receivedAt: ContinuousClock.Instant
    /// The decoded message, or why it goes to the dead-letter topic.
    let content: Result<NewsMessage, InputRejection>

    /// The item's share of a batch's character budget: the code points to tag, 0 for a
    /// rejected message.
    var cost: Int {
        (try? content.get().textLength) ?? 0
    }
}

/// A work item with the records to deliver for it.
struct ProcessedItem: Sendable {
    let item: WorkItem
    let records: [OutgoingRecord]
    /// The dead-letter reason when ``records`` is a dead-letter record.
    let deadLetterReason: DeadLetterReason?
    /// Counters of the item's tagging, to add to the metrics once delivered.
    let draftTokens: Int
    let acceptedTokens: Int
}
