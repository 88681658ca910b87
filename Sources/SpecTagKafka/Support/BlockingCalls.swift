import Dispatch

// MARK: - Blocking calls off the cooperative pool

/// Runs a blocking librdkafka call on a Dispatch worker thread and returns its result.
///
/// Calls such as `rd_kafka_flush` or `rd_kafka_commit_transaction` block for up to their
/// timeout. Running them here keeps the threads of Swift's cooperative pool, which has
/// one thread per core, free for other tasks.
/// - Throws: whatever `body` throws.
func runBlocking<Result: Sendable>(
    on queue: DispatchQueue = .global(),
    _ body: @escaping @Sendable () throws -> Result
) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        queue.async {
            continuation.resume(with: Swift.Result { try body() })
        }
    }
}

// MARK: - Durations

extension Duration {
    /// The duration in whole milliseconds, rounded down and clamped to `0...Int32.max`,
    /// the range of librdkafka's millisecond arguments.
    var clampedMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        guard seconds < Int64(Int32.max) / 1000 else { return Int32.max }
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
