// MARK: - Message sequence

/// The messages of a ``KafkaConsumer`` as an `AsyncSequence`; see
/// ``KafkaConsumer/messages``.
///
/// Several iterators may exist, but they share one consumer, so each message goes to only
/// one of them.
public struct KafkaConsumerMessages: AsyncSequence, Sendable {
    public typealias Element = KafkaConsumerMessage

    let consumer: KafkaConsumer
    let pollTimeout: Duration

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: consumer, pollTimeout: pollTimeout)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        let pollTimeout: Duration

        /// Returns the next message, or `nil` once the consumer is closed or the task is
        /// cancelled.
        ///
        /// - Throws: ``KafkaError`` of kind ``KafkaError/Kind/fatal``.
        public mutating func next() async throws -> KafkaConsumerMessage? {
            while !Task.isCancelled, !consumer.isClosed {
                if let message = try await consumer.poll(timeout: pollTimeout) {
                    return message
                }
            }
            return nil
        }
    }
}
