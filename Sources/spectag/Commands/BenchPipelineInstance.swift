import Foundation
import SpecTagLocalProcess

// MARK: - A serve process of the benchmark

/// One `spectag serve` child process of `spectag bench pipeline`, with its metrics server on a
/// free port of 127.0.0.1 and its standard error in a temporary log file.
final class PipelineInstance {
    let process: BenchChildProcess
    let metricsPort: UInt16

    var name: String { process.name }

    /// Starts `executable serve` with `environment` plus the metrics address.
    ///
    /// - Throws: ``LocalProcessError`` when no port is free or the process cannot start.
    init(executable: String, name: String, environment: [String: String]) throws {
        metricsPort = try LoopbackPort.free()
        var environment = environment
        environment["SPECTAG_METRICS_ADDRESS"] = "127.0.0.1:\(metricsPort)"
        process = try BenchChildProcess(executable: executable, arguments: ["serve"], environment: environment, name: name)
    }

    /// Returns the path of the running `spectag` binary, read from `/proc/self/exe`.
    ///
    /// - Throws: `CLIError` when the link cannot be read.
    static func currentExecutable() throws -> String {
        let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        guard let path, FileManager.default.isExecutableFile(atPath: path) else {
            throw CLIError("cannot find the spectag executable through /proc/self/exe")
        }
        return path
    }

    // MARK: State

    var isRunning: Bool { process.isRunning }
    var cpuSeconds: Double { process.cpuSeconds }
    var peakResidentBytes: Int { process.peakResidentBytes }

    /// Returns the status code of `GET /readyz`, or `nil` while the server does not respond.
    func readinessStatus() -> Int? {
        try? LoopbackHTTP.get("/readyz", port: metricsPort).status
    }

    /// Returns the sum of the samples of `name` whose labels include `labels`, or 0 when none matches.
    ///
    /// - Throws: ``LocalProcessError`` when `/metrics` does not respond.
    func metric(_ name: String, labels: [String: String]) throws -> Double {
        let response = try LoopbackHTTP.get("/metrics", port: metricsPort)
        return PrometheusSamples.sum(of: name, labels: labels, in: response.body)
    }

    func logTail(maxBytes: Int = 2000) -> String {
        process.logTail(maxBytes: maxBytes)
    }

    /// Stops the instances as ``BenchChildProcess/stopAll(_:gracePeriod:)`` does.
    static func stopAll(_ instances: [PipelineInstance], gracePeriod: Double) {
        BenchChildProcess.stopAll(instances.map(\.process), gracePeriod: gracePeriod)
    }
}
