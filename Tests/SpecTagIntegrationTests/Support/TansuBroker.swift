import Foundation
import SpecTagLocalProcess
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Tansu broker process

/// A Tansu broker with in-memory storage, started on 127.0.0.1 on a free port.
///
/// Tansu is a Kafka-compatible broker that starts in milliseconds. Each test gets its own
/// broker, so topics and groups never leak between tests. ``stop()`` sends SIGTERM and,
/// after two seconds, SIGKILL; ``freeze()`` and ``thaw()`` suspend and resume the process
/// to simulate a hung broker.
///
/// The broker is a ``ChildProcess``, started with an empty signal mask instead of through
/// Foundation's `Process`, because a child of a test thread inherits that thread's blocked
/// signals, and Tansu then never receives SIGTERM.
final class TansuBroker {
    let port: UInt16
    /// The broker's output, kept for diagnosing failures.
    let logURL: URL
    private let process: ChildProcess

    var bootstrapServers: String { "127.0.0.1:\(port)" }

    /// Starts `binary` and waits until it accepts TCP connections.
    ///
    /// - Throws: ``LocalProcessError`` when no port is free or the process cannot start, and
    ///   ``TansuBrokerError`` when it exits early or does not accept connections within
    ///   `startTimeout` seconds.
    init(binary: URL, startTimeout: Double = 10) throws {
        port = try LoopbackPort.free()
        logURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("spectag-tansu-\(port)-\(UUID().uuidString).log")
        let listener = "tcp://127.0.0.1:\(port)"
        process = try ChildProcess(
            executable: binary.path,
            arguments: [
                "broker",
                "--listener-url", listener,
                "--advertised-listener-url", listener,
                "--storage-engine", "memory://tansu/",
            ],
            environment: nil,
            standardOutputPath: logURL.path,
            standardError: .standardOutput
        )
        try waitUntilAcceptingConnections(timeout: startTimeout)
    }

    deinit {
        stop()
    }

    // MARK: Process control

    /// Whether the broker process has not exited yet; reaps it when it has.
    var isRunning: Bool { process.isRunning }

    /// Stops the broker: SIGCONT in case it is frozen, SIGTERM, then SIGKILL after two
    /// seconds. Calling it again does nothing.
    func stop() {
        process.send(SIGCONT)
        process.terminate(gracePeriod: 2, pollInterval: 0.01)
    }

    /// Suspends the broker with SIGSTOP: connections stay open but requests get no response.
    func freeze() {
        process.send(SIGSTOP)
    }

    /// Resumes a frozen broker with SIGCONT.
    func thaw() {
        process.send(SIGCONT)
    }

    /// Returns the last `maxBytes` of the broker's output.
    func logTail(maxBytes: Int = 4000) -> String {
        LogFile.tail(of: logURL, maxBytes: maxBytes) ?? "(no broker log at \(logURL.path))"
    }

    // MARK: Startup

    private func waitUntilAcceptingConnections(timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard isRunning else {
                throw TansuBrokerError("Tansu exited with status \(process.waitStatus ?? -1) during startup:\n\(logTail())")
            }
            if LoopbackPort.acceptsConnection(port: port) {
                return
            }
            usleep(10_000)
        }
        stop()
        throw TansuBrokerError("Tansu did not accept connections on 127.0.0.1:\(port) within \(timeout) s:\n\(logTail())")
    }
}

struct TansuBrokerError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
