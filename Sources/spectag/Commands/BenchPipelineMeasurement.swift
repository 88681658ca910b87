import Foundation

// MARK: - One row of the results table

/// The measurement of one run of `spectag bench pipeline`, for spectag or the Python baseline.
struct PipelineMeasurement {
    /// `spectag` or `python`.
    var pipeline: String
    var instanceCount: Int
    /// OpenBLAS threads of each spectag instance, or torch threads of the Python process.
    var threadsEach: Int
    /// The input rate in messages per second; 0 for saturation.
    var rate: Double
    var messageCount: Int
    /// From the first send until every output was delivered.
    var seconds: Double
    /// Input messages each instance consumed.
    var consumedPerInstance: [Int]
    /// CPU time (user and system) of all instances between the first send and the end.
    var cpuSeconds: Double
    var peakResidentBytesPerInstance: [Int]
    /// `nil` when the records could not be read back.
    var latency: LatencySummary?
    /// Outputs beyond the first for the same message id.
    var duplicateOutputs: Int
    /// The output record of each message id, for the agreement check.
    var outputs: [String: Data]

    var messagesPerSecond: Double { Double(messageCount) / seconds }

    /// Messages per CPU-second of the instances: the throughput of one fully used core,
    /// which depends little on what else runs on the machine.
    var messagesPerCPUSecond: Double { cpuSeconds > 0 ? Double(messageCount) / cpuSeconds : 0 }

    /// `max` for saturation, else the rate.
    var rateText: String {
        rate > 0 ? String(format: "%g", rate) : "max"
    }

    static let tableHeader = """
        | pipeline | instances | threads each | input rate (msg/s) | seconds | messages/s | per instance | p50 latency ms | p99 latency ms | CPU cores used | messages per CPU-second | peak RSS per instance | messages per instance |
        |---|---|---|---|---|---|---|---|---|---|---|---|---|
        """

    func tableRow() -> String {
        let peakMegabytes = peakResidentBytesPerInstance.map { String(format: "%.0f", Double($0) / 1_048_576) }
        let p50 = latency.map { String(format: "%.1f", $0.p50) } ?? "n/a"
        let p99 = latency.map { String(format: "%.1f", $0.p99) } ?? "n/a"
        return String(
            format: "| %@ | %d | %d | %@ | %.1f | %.1f | %.1f | %@ | %@ | %.2f | %.1f | %@ MiB | %@ |",
            pipeline, instanceCount, threadsEach, rateText, seconds, messagesPerSecond,
            messagesPerSecond / Double(instanceCount), p50, p99, cpuSeconds / seconds, messagesPerCPUSecond,
            peakMegabytes.joined(separator: ", "), consumedPerInstance.map(String.init).joined(separator: ", ")
        )
    }
}

/// Returns the seconds of `duration`.
func secondsOf(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
