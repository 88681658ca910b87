import SpecTagLogging

// MARK: - Counter

/// A value that only goes up, such as `messages_total`. Thread-safe.
public final class Counter: Sendable {
    private let storage = Locked<Double>(0)

    init() {}

    /// Adds `amount`. A negative or NaN amount is ignored, because a counter never decreases.
    public func increment(by amount: Double = 1) {
        guard amount >= 0 else { return }
        storage.withLock { $0 += amount }
    }

    public func increment(by amount: Int) {
        increment(by: Double(amount))
    }

    public var value: Double {
        storage.withLock { $0 }
    }
}

// MARK: - Gauge

/// A value that goes up and down, such as `consumer_lag_messages`. Thread-safe.
public final class Gauge: Sendable {
    private let storage = Locked<Double>(0)

    init() {}

    public func set(_ value: Double) {
        storage.withLock { $0 = value }
    }

    public func set(_ value: Int) {
        set(Double(value))
    }

    public func increment(by amount: Double = 1) {
        storage.withLock { $0 += amount }
    }

    public func decrement(by amount: Double = 1) {
        storage.withLock { $0 -= amount }
    }

    public var value: Double {
        storage.withLock { $0 }
    }
}

// MARK: - Histogram

/// Observations counted into buckets by upper bound, with their sum and count. Thread-safe.
///
/// An observation goes into every bucket whose upper bound is at least the value, as the
/// Prometheus `le` ("less than or equal") label states. The `+Inf` bucket is implicit.
public final class Histogram: Sendable {
    /// Default bounds for latencies in seconds, from 0.5 ms to 10 s.
    ///
    /// They extend the Prometheus client defaults (5 ms to 10 s) downwards, because one tagging
    /// step of a sentence can take well under 5 ms.
    public static let defaultLatencyBuckets: [Double] = [
        0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    struct Snapshot {
        /// Cumulative counts, one per bound, then the `+Inf` count.
        var cumulativeCounts: [UInt64]
        var sum: Double
        var count: UInt64
    }

    private struct State {
        /// Non-cumulative counts, one per bound, then one for values above the last bound.
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    /// Upper bounds, strictly increasing and finite.
    public let buckets: [Double]
    private let state: Locked<State>

    init(buckets: [Double]) {
        self.buckets = buckets
        self.state = Locked(State(counts: [UInt64](repeating: 0, count: buckets.count + 1)))
    }

    /// Records `value`. NaN is ignored, because it would turn the sum into NaN for good.
    public func observe(_ value: Double) {
        guard !value.isNaN else { return }
        let index = bucketIndex(for: value)
        state.withLock { state in
            state.counts[index] += 1
            state.sum += value
            state.count += 1
        }
    }

    /// Records a duration in seconds.
    public func observe(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        observe(Double(seconds) + Double(attoseconds) * 1e-18)
    }

    var snapshot: Snapshot {
        state.withLock { state in
            var running: UInt64 = 0
            let cumulative = state.counts.map { count in
                running += count
                return running
            }
            return Snapshot(cumulativeCounts: cumulative, sum: state.sum, count: state.count)
        }
    }

    /// Index of the first bucket whose bound is at least `value`, or `buckets.count` for `+Inf`.
    private func bucketIndex(for value: Double) -> Int {
        var low = 0
        var high = buckets.count
        while low < high {
            let middle = (low + high) / 2
            if buckets[middle] >= value {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }

    /// Returns nil when `bounds` are valid, otherwise the reason.
    static func bucketProblem(_ bounds: [Double]) -> String? {
        if bounds.isEmpty {
            return "at least one bound is required"
        }
        if let bad = bounds.first(where: { !$0.isFinite }) {
            return "bound \(bad) is not finite (+Inf is added automatically)"
        }
        for (lower, upper) in zip(bounds, bounds.dropFirst()) where lower >= upper {
            return "bounds must be strictly increasing, but \(lower) is followed by \(upper)"
        }
        return nil
    }
}
