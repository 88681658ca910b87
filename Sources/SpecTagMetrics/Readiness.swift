import SpecTagLogging

// MARK: - Readiness

/// Whether the process is ready to serve, as `GET /readyz` reports it.
public enum Readiness: Sendable, Equatable {
    case ready
    /// Not ready, with a short reason such as `loading model` or `no partitions assigned`.
    case notReady(String)
}

/// A thread-safe readiness state that starts as not ready and that the service updates.
///
/// ```swift
/// let readiness = ReadinessFlag()
/// let server = MetricsServer(registry: registry, readiness: readiness.current)
/// // after the model is loaded and the consumer joined its group:
/// readiness.markReady()
/// ```
public final class ReadinessFlag: Sendable {
    private let state: Locked<Readiness>

    public init(_ initial: Readiness = .notReady("starting")) {
        state = Locked(initial)
    }

    public func markReady() {
        state.withLock { $0 = .ready }
    }

    public func markNotReady(_ reason: String) {
        state.withLock { $0 = .notReady(reason) }
    }

    /// Returns the current state. Pass the method itself, `flag.current`, as a server's readiness check.
    @Sendable
    public func current() -> Readiness {
        state.withLock { $0 }
    }
}
