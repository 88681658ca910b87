import CBLAS
import Foundation

/// Facts about the BLAS library in use and a plain `cblas_sgemm` rate, for benchmarks.
public enum BLASInfo {
    /// OpenBLAS's build configuration string (version, kernel, threading).
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }

    /// The CPU kernel OpenBLAS selected, such as `Haswell` or `Cooperlake`.
    public static var coreName: String {
        guard let text = openblas_get_corename() else { return "unknown" }
        return String(cString: text)
    }

    /// The number of threads OpenBLAS uses.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses.
    public static func setThreadCount(_ count: Int) { openblas_set_num_threads(Int32(count)) }

    /// Measures `cblas_sgemm` on `m x k` times `k x n` matrices and returns GFLOP/s, the best
    /// of `repeats` timed runs after one warm-up run. One product counts `2 m n k` operations.
    public static func sgemmRate(m: Int, n: Int, k: Int, repeats: Int = 5) -> Double {
        let a = (0 ..< m * k).map { Float($0 % 7) * 0.01 }
        let b = (0 ..< k * n).map { Float($0 % 5) * 0.01 }
        var c = [Float](repeating: 0, count: m * n)
        var best = Double.infinity
        for run in 0 ... repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            c.withUnsafeMutableBufferPointer { output in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(n), 0, output.baseAddress, Int32(n))
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if run > 0 { best = min(best, seconds) }
        }
        return 2 * Double(m) * Double(n) * Double(k) / best / 1e9
    }
}

extension BLASInfo {
    /// Runs `body` with OpenBLAS on one thread when `rows` is small, then restores the count.
    ///
    /// Matrix products with a handful of rows, like the tag decoder's passes, are bound by reading
    /// the weights. In `spectag bench decode` on 2 cores, waking a second OpenBLAS thread for them
    /// made each pass slower, not faster.
    /// NOTE: the thread count is process-wide, so a concurrent large product on another thread
    /// also runs on one thread meanwhile.
    static func withSingleThread<Result>(whenRows rows: Int, below limit: Int = 64, _ body: () throws -> Result) rethrows -> Result {
        let threads = threadCount
        guard rows < limit, threads > 1 else { return try body() }
        setThreadCount(1)
        defer { setThreadCount(threads) }
        return try body()
    }
}
