import CRdKafka

// MARK: - Transactions

/// Exactly-once consume-transform-produce: messages sent between ``beginTransaction()``
/// and ``commitTransaction(timeout:)`` become visible to `read_committed` consumers
/// together with the consumer offsets sent by ``sendOffsetsToTransaction(_:groupMetadata:timeout:)``.
///
/// Every method throws ``KafkaError`` classified by librdkafka:
/// ``KafkaError/Kind/retriable`` means call the same method again,
/// ``KafkaError/Kind/abortableTransaction`` means call ``abortTransaction(timeout:)`` and
/// start over, and ``KafkaError/Kind/fatal`` means the producer must be recreated.
/// All require ``KafkaProducerConfiguration/transactionalID``.
extension KafkaProducer {
    /// Registers the transactional id with the broker and fences older producers that used
    /// the same id. Call once, before the first transaction.
    public func initTransactions(timeout: Duration = .seconds(30)) async throws {
        try await runTransactionCall(operation: "initialize transactions") { handle in
            rd_kafka_init_transactions(handle, timeout.clampedMilliseconds)
        }
    }

    /// Starts a transaction. It does not contact the broker and returns at once.
    public func beginTransaction() throws {
        if let error = rd_kafka_begin_transaction(handle.pointer) {
            throw KafkaError(consuming: error, operation: "begin transaction")
        }
    }

    /// Adds consumer offsets to the current transaction, so they are committed for the
    /// consumer's group only if the transaction commits.
    ///
    /// - Parameters:
    ///   - offsets: the next offset to read per partition, i.e. the last processed
    ///     message's offset plus one, as ``KafkaConsumer/position(_:)`` returns.
    ///   - groupMetadata: from the input consumer's ``KafkaConsumer/groupMetadata()``.
    public func sendOffsetsToTransaction(
        _ offsets: [KafkaTopicPartition: Int64],
        groupMetadata: KafkaConsumerGroupMetadata,
        timeout: Duration = .seconds(30)
    ) async throws {
        try await runTransactionCall(operation: "send offsets to transaction") { handle in
            let list = NativeTopicPartitionList(offsets: offsets)
            return withExtendedLifetime(list) {
                rd_kafka_send_offsets_to_transaction(
                    handle,
                    list.pointer,
                    groupMetadata.pointer,
                    timeout.clampedMilliseconds
                )
            }
        }
    }

    /// Flushes the transaction's messages and commits it.
    public func commitTransaction(timeout: Duration = .seconds(30)) async throws {
        try await runTransactionCall(operation: "commit transaction") { handle in
            rd_kafka_commit_transaction(handle, timeout.clampedMilliseconds)
        }
    }

    /// Aborts the current transaction: its messages are never shown to `read_committed`
    /// consumers and its offsets are not committed. Pending `send` calls fail.
    public func abortTransaction(timeout: Duration = .seconds(30)) async throws {
        try await runTransactionCall(operation: "abort transaction") { handle in
            rd_kafka_abort_transaction(handle, timeout.clampedMilliseconds)
        }
    }

    /// Runs a blocking transactional call off the cooperative pool and converts its
    /// `rd_kafka_error_t` into ``KafkaError``.
    private func runTransactionCall(
        operation: String,
        _ call: @escaping @Sendable (OpaquePointer) -> OpaquePointer?
    ) async throws {
        try await runBlocking { [handle] in
            if let error = call(handle.pointer) {
                throw KafkaError(consuming: error, operation: operation)
            }
        }
    }
}
