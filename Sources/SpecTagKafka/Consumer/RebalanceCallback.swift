import CRdKafka
import SpecTagLogging

// MARK: - Rebalance callback

/// `rebalance_cb`: applies an assignment change for both rebalance protocols and reports
/// it as a ``KafkaConsumerEvent``.
///
/// librdkafka calls it from `rd_kafka_consumer_poll` and `rd_kafka_consumer_close`, so it
/// runs on the consumer's poll queue. With the `COOPERATIVE` protocol the list contains
/// only the partitions that change, and the incremental calls apply them. With `EAGER` it
/// contains the whole assignment. Before revoked partitions are released, the configured
/// revocation handler runs, and then their stored offsets are committed when the configuration
/// requests it, waiting at most the configured commit timeout. Lost partitions get neither.
func handleRebalance(
    handle: OpaquePointer?,
    code: rd_kafka_resp_err_t,
    partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
    opaque: UnsafeMutableRawPointer?
) {
    guard let handle, let partitions else { return }
    let callbacks = ClientCallbacks.from(opaque)
    let changed = NativeTopicPartitionList.elements(of: partitions).map(\.topicPartition)
    let cooperative = rebalanceProtocol(of: handle) == "COOPERATIVE"
    let metadata: [String: String] = [
        "client": String(cString: rd_kafka_name(handle)),
        "protocol": cooperative ? "cooperative" : "eager",
        "partitions": changed.map(\.description).joined(separator: ","),
    ]

    switch code {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        if let error = assign(partitions, handle: handle, cooperative: cooperative) {
            report(error, callbacks: callbacks)
        }
        kafkaLogger.info("partitions assigned", metadata.mapValues { .string($0) })
        callbacks?.consumerEvents?.yield(.partitionsAssigned(changed))

    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        if rd_kafka_assignment_lost(handle) != 0 {
            kafkaLogger.warning("partitions lost", metadata.mapValues { .string($0) })
            callbacks?.consumerEvents?.yield(.partitionsLost(changed))
        } else {
            if let handler = callbacks?.revocationHandler {
                runRevocationHandler(handler, partitions: changed, metadata: metadata)
            }
            if let callbacks, callbacks.commitStoredOffsetsOnRevoke,
               let error = commitStoredOffsets(handle: handle, timeout: callbacks.commitTimeout) {
                report(error, callbacks: callbacks)
            }
            kafkaLogger.info("partitions revoked", metadata.mapValues { .string($0) })
            callbacks?.consumerEvents?.yield(.partitionsRevoked(changed))
        }
        if let error = unassign(partitions, handle: handle, cooperative: cooperative) {
            report(error, callbacks: callbacks)
        }

    default:
        report(KafkaError(code: code, operation: "rebalance consumer group"), callbacks: callbacks)
        _ = rd_kafka_assign(handle, nil)
    }
}

/// Calls the application's revocation handler and logs how long it held the rebalance.
private func runRevocationHandler(
    _ handler: @Sendable ([KafkaTopicPartition]) -> Void,
    partitions: [KafkaTopicPartition],
    metadata: [String: String]
) {
    let clock = ContinuousClock()
    let started = clock.now
    kafkaLogger.info("partitions about to be revoked; running the revocation handler", metadata.mapValues { .string($0) })
    handler(partitions)
    var finished = metadata.mapValues { LogValue.string($0) }
    finished["duration_ms"] = .int(Int((clock.now - started).clampedMilliseconds))
    kafkaLogger.info("revocation handler finished", finished)
}

/// Returns `EAGER`, `COOPERATIVE`, or `NONE` before the first rebalance.
func rebalanceProtocol(of handle: OpaquePointer) -> String {
    rd_kafka_rebalance_protocol(handle).map { String(cString: $0) } ?? "NONE"
}

private func assign(
    _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>,
    handle: OpaquePointer,
    cooperative: Bool
) -> KafkaError? {
    let operation = "assign partitions"
    if cooperative {
        return rd_kafka_incremental_assign(handle, partitions).map { KafkaError(consuming: $0, operation: operation) }
    }
    let code = rd_kafka_assign(handle, partitions)
    return code == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(code: code, operation: operation)
}

private func unassign(
    _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>,
    handle: OpaquePointer,
    cooperative: Bool
) -> KafkaError? {
    let operation = "unassign partitions"
    if cooperative {
        return rd_kafka_incremental_unassign(handle, partitions).map { KafkaError(consuming: $0, operation: operation) }
    }
    let code = rd_kafka_assign(handle, nil)
    return code == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(code: code, operation: operation)
}

/// Commits the stored offsets of the current assignment and waits at most `timeout`.
/// `_NO_OFFSET` (nothing stored since the last commit) counts as success.
func commitStoredOffsets(handle: OpaquePointer, timeout: Duration) -> KafkaError? {
    let code = commitAndWait(handle: handle, offsets: nil, timeout: timeout).code
    guard code != RD_KAFKA_RESP_ERR_NO_ERROR, code != RD_KAFKA_RESP_ERR__NO_OFFSET else { return nil }
    return KafkaError(code: code, operation: "commit stored offsets before revocation")
}

private func report(_ error: KafkaError, callbacks: ClientCallbacks?) {
    kafkaLogger.error("consumer group rebalance step failed", ["error": .string(error.description)])
    callbacks?.consumerEvents?.yield(.error(error))
}

// MARK: - Offset commit callback

/// `offset_commit_cb`: logs failed commits, including those of ``KafkaConsumer/commitAsync()``
/// whose caller does not wait for the result.
func logOffsetCommit(
    handle: OpaquePointer?,
    code: rd_kafka_resp_err_t,
    offsets: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
    opaque: UnsafeMutableRawPointer?
) {
    guard code != RD_KAFKA_RESP_ERR_NO_ERROR, code != RD_KAFKA_RESP_ERR__NO_OFFSET else { return }
    let partitions = offsets.map { NativeTopicPartitionList.elements(of: $0) } ?? []
    kafkaLogger.warning(
        "offset commit failed",
        [
            "error": .string(KafkaError(code: code, operation: "commit offsets").description),
            "offsets": .string(partitions.map { "\($0.topicPartition)@\($0.offset)" }.joined(separator: ",")),
        ]
    )
}
