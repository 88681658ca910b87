/// The error of ``withDeadline(seconds:waitingFor:_:)`` when the operation did not finish in time.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let seconds: Double
    /// The awaited result, as a noun phrase: "delivery of 10 messages".
    public let awaitedResult: String
    public var description: String { "timed out after \(seconds) s waiting for \(awaitedResult)" }

    public init(seconds: Double, awaitedResult: String) {
        self.seconds = seconds
        self.awaitedResult = awaitedResult
    }
}

/// Runs `operation` and throws ``DeadlineExceeded`` if it takes longer than `seconds`.
///
/// The operation is cancelled at the deadline, and this function returns only after it has
/// ended, so an operation that ignores cancellation delays the error. Errors of `operation`
/// are rethrown unchanged.
public func withDeadline<Result: Sendable>(
    seconds: Double,
    waitingFor awaitedResult: String,
    _ operation: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else {
            throw DeadlineExceeded(seconds: seconds, awaitedResult: awaitedResult)
        }
        return result
    }
}
