import Foundation
import SpecTagLocalProcess
import XCTest

// MARK: - A `spectag serve` process

/// One `spectag serve` process started by a test, configured through `SPECTAG_*` environment
/// variables, with its metrics server on a free port of 127.0.0.1 and its log in a file.
///
/// It is a ``ChildProcess`` with an empty signal mask, as ``TansuBroker`` is, so that SIGTERM
/// from ``terminate(timeout:)`` reaches it even when the test thread blocks signals.
final class ServeProcess {
    let name: String
    let metricsPort: UInt16
    let logURL: URL
    private let process: ChildProcess

    /// Starts `spectag serve` with `settings` as `SPECTAG_<KEY>` variables on top of this
    /// process's environment (which carries LD_LIBRARY_PATH for librdkafka 2.16).
    ///
    /// - Throws: ``LocalProcessError`` when no port is free or the process cannot start.
    init(name: String, executable: URL, settings: [String: String]) throws {
        self.name = name
        metricsPort = try LoopbackPort.free()
        logURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("spectag-serve-\(name)-\(UUID().uuidString.prefix(8)).log")
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in settings {
            environment["SPECTAG_" + key.uppercased()] = value
        }
        environment["SPECTAG_METRICS_ADDRESS"] = "127.0.0.1:\(metricsPort)"
        environment["SPECTAG_LOG_FORMAT"] = "json"
        environment["SPECTAG_LOG_LEVEL"] = environment["SPECTAG_LOG_LEVEL"] ?? "info"
        // One OpenBLAS thread each: three instances share the machine's cores.
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process = try ChildProcess(
            executable: executable.path,
            arguments: ["serve"],
            environment: environment,
            standardOutputPath: logURL.path,
            standardError: .standardOutput
        )
    }

    // MARK: Process control

    var isRunning: Bool { process.isRunning }

    /// Kills the process at once, as a crash or an OOM kill would.
    func killImmediately() {
        process.kill()
    }

    /// Sends SIGTERM and waits up to `timeout` seconds for a graceful exit.
    ///
    /// - Returns: the exit code, or `nil` when the process did not exit in time (it is then
    ///   killed) or ended by a signal.
    func terminate(timeout: Double) -> Int32? {
        guard process.terminate(gracePeriod: timeout) else { return nil }
        return exitCode
    }

    /// The exit code once the process exited normally; `nil` while it runs or after a signal.
    var exitCode: Int32? { process.exitCode }

    /// Returns the last `maxBytes` of the log.
    func logTail(maxBytes: Int = 3000) -> String {
        LogFile.tail(of: logURL, maxBytes: maxBytes) ?? "(no log at \(logURL.path))"
    }

    /// Returns the JSON log lines that contain `text`.
    func logLines(containing text: String) -> [[String: Any]] {
        guard let data = try? Data(contentsOf: logURL) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard line.contains(text) else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }

    /// Returns the input partitions this process owns according to its log: the replay of its
    /// "partitions assigned" and "partitions revoked" lines for `topic`.
    func ownedPartitions(of topic: String) -> Set<Int32> {
        var owned: Set<Int32> = []
        for event in partitionEvents(of: topic) {
            if event.assigned {
                owned.formUnion(event.partitions)
            } else {
                owned.subtract(event.partitions)
            }
        }
        return owned
    }

    /// Returns the assignment changes in the log, oldest first. The service logs the partitions
    /// as `topic[0],topic[3]` in the field `partitions`.
    func partitionEvents(of topic: String) -> [(assigned: Bool, partitions: Set<Int32>)] {
        logLines(containing: "partitions ").compactMap { line in
            guard let message = line["msg"] as? String, let list = line["partitions"] as? String else { return nil }
            let assigned: Bool
            if message.hasPrefix("partitions assigned") {
                assigned = true
            } else if message.hasPrefix("partitions revoked") {
                assigned = false
            } else {
                return nil
            }
            let partitions = list.split(separator: ",").compactMap { item -> Int32? in
                guard item.hasPrefix(topic + "["), item.hasSuffix("]") else { return nil }
                return Int32(item.dropFirst(topic.count + 1).dropLast())
            }
            return (assigned, Set(partitions))
        }
    }

    // MARK: HTTP endpoints

    /// Returns the status code of `GET path`, or `nil` while the server does not respond.
    func status(of path: String) -> Int? {
        (try? LoopbackHTTP.get(path, port: metricsPort))?.status
    }

    /// Returns the value of the sample `name{labels}` on `/metrics`, 0 when it is absent.
    ///
    /// - Throws: ``LocalProcessError`` when the server does not respond.
    func metric(_ name: String, labels: [String: String] = [:]) throws -> Double {
        let response = try LoopbackHTTP.get("/metrics", port: metricsPort)
        return PrometheusSamples.sum(of: name, labels: labels, in: response.body)
    }
}

struct ScaleOutError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

// MARK: - The spectag executable

enum SpecTagExecutable {
    /// Returns the `spectag` executable that `swift build` put next to the test bundle.
    ///
    /// - Throws: ``ScaleOutError`` listing the paths that were tried.
    static func locate() throws -> URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [runner.deletingLastPathComponent(), Bundle(for: Marker.self).bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("spectag") }
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ScaleOutError("spectag executable not found at \(candidates.map(\.path)); run swift build --build-tests first")
        }
        return binary
    }

    private final class Marker {}
}
