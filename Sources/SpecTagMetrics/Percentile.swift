// MARK: - Percentiles of a sample

/// Percentiles of a finite sample, such as the latencies of a benchmark run.
public enum Percentile {
    /// Returns the nearest-rank `percent` percentile of `values`: the smallest value that at
    /// least `percent` % of the values are less than or equal to. With `n` values sorted in
    /// ascending order, that is the value at rank `ceil(percent / 100 × n)`, counted from 1;
    /// `percent` 0 returns the minimum. The result is always one of `values`, never an
    /// interpolation between two of them.
    ///
    /// Returns `nil` when `values` is empty.
    /// - Precondition: `percent` is in 0...100 and no value is NaN.
    public static func nearestRank(_ percent: Double, of values: [Double]) -> Double? {
        precondition((0 ... 100).contains(percent), "percentile \(percent) is outside 0...100")
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        // Multiplying before dividing keeps ranks such as 99.9 % of 1000 exact (999, not 1000).
        let rank = Int((percent * Double(sorted.count) / 100).rounded(.up))
        return sorted[max(rank, 1) - 1]
    }
}
