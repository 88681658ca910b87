// MARK: - Retry backoff

/// Exponential backoff: the first wait is ``initial``, each later one doubles, up to ``maximum``.
struct RetryBackoff: Sendable, Equatable {
    var initial: Duration
    var maximum: Duration

    /// Returns the wait before retry number `attempt`, counting from 1.
    func delay(attempt: Int) -> Duration {
        var delay = initial
        for _ in 1..<max(1, attempt) {
            delay *= 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }
}
