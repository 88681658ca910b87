import CRdKafka

// MARK: - Commit with a time limit

/// Commits offsets and waits at most `timeout` for the group coordinator's response.
///
/// librdkafka's synchronous `rd_kafka_commit` waits without a limit. A commit whose response
/// never arrives (seen once against Tansu during a rebalance) then blocks the calling thread for
/// good, and with it a rebalance callback or a shutdown. Here the result arrives as an event on
/// a private queue, which is polled with a timeout.
///
/// - Parameter offsets: explicit offsets (next offsets to read), or `nil` for the stored offsets
///   of the current assignment.
/// - Returns: the result code and the per-partition results.
///   `_NO_OFFSET` means nothing was stored, and `_TIMED_OUT` means no response came in time.
///   A commit that timed out may still complete later.
func commitAndWait(
    handle: OpaquePointer,
    offsets: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
    timeout: Duration
) -> CommitOutcome {
    guard let queue = rd_kafka_queue_new(handle) else {
        return CommitOutcome(code: RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE)
    }
    defer { rd_kafka_queue_destroy(queue) }
    let started = rd_kafka_commit_queue(handle, offsets, queue, nil, nil)
    guard started == RD_KAFKA_RESP_ERR_NO_ERROR else {
        return CommitOutcome(code: started)
    }
    guard let event = rd_kafka_queue_poll(queue, timeout.clampedMilliseconds) else {
        return CommitOutcome(code: RD_KAFKA_RESP_ERR__TIMED_OUT)
    }
    defer { rd_kafka_event_destroy(event) }
    var partitions: [NativeTopicPartition] = []
    if let list = rd_kafka_event_topic_partition_list(event) {
        partitions = NativeTopicPartitionList.elements(of: list)
    }
    return CommitOutcome(code: rd_kafka_event_error(event), partitions: partitions)
}

/// The result of ``commitAndWait(handle:offsets:timeout:)``.
struct CommitOutcome {
    /// The request's result code.
    var code: rd_kafka_resp_err_t
    /// The committed partitions with their per-partition results, empty when no response came.
    var partitions: [NativeTopicPartition] = []
}
