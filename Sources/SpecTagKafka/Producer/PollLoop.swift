import CRdKafka
import Foundation
import SpecTagLogging

// MARK: - Poll thread

/// A thread that calls `rd_kafka_poll` until stopped, so that delivery reports and error
/// callbacks are served without the owner polling.
final class PollLoop: Sendable {
    private let handle: KafkaHandle
    private let stopRequested = Locked(false)
    private let finished = DispatchSemaphore(value: 0)
    private let stopped = Locked(false)

    /// Starts the thread at once.
    init(handle: KafkaHandle, threadName: String) {
        self.handle = handle
        let thread = Thread { [self] in
            run()
        }
        thread.name = threadName
        thread.start()
    }

    private func run() {
        while !stopRequested.withLock({ $0 }) {
            rd_kafka_poll(handle.pointer, 100)
        }
        // Serve what arrived during the last wait, such as reports of purged messages.
        rd_kafka_poll(handle.pointer, 0)
        finished.signal()
    }

    /// Stops the thread and waits for it to finish its current poll (at most 100 ms).
    /// Calling it again does nothing.
    func stop() {
        let alreadyStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !alreadyStopped else { return }
        stopRequested.withLock { $0 = true }
        finished.wait()
    }
}
