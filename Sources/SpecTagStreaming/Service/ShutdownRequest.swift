import SpecTagLogging

// MARK: - Shutdown request

/// A one-way flag that requests long-running loops to stop, and lets them wait for it.
public final class ShutdownRequest: Sendable {
    private struct State {
        var isRequested = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Locked(State())

    public init() {}

    public var isRequested: Bool {
        state.withLock { $0.isRequested }
    }

    /// Sets the flag and wakes every waiter. Calling it again does nothing.
    public func request() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.isRequested else { return [] }
            state.isRequested = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns once ``request()`` was called.
    public func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.isRequested { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
