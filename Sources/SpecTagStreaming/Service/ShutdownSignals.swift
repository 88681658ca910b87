import Dispatch
import Foundation
import SpecTagLogging

// MARK: - Shutdown signals

/// Turns SIGTERM and SIGINT into a graceful shutdown: the first signal calls the handler,
/// a second one exits the process at once with status 1.
///
/// The default action of both signals is replaced by dispatch sources for as long as this
/// object lives.
public final class ShutdownSignals: Sendable {
    /// The dispatch sources, kept so they stay installed; a lock makes them shareable.
    private let sources: Locked<[any DispatchSourceSignal]>

    /// Installs the signal handlers.
    ///
    /// - Parameter onFirstSignal: runs on a dispatch queue with the signal's name, such as
    ///   `SIGTERM`, when the first signal arrives.
    public init(logger: Logger, onFirstSignal: @escaping @Sendable (String) -> Void) {
        let queue = DispatchQueue(label: "spectag.signals")
        var sources: [any DispatchSourceSignal] = []
        let received = Locked(0)
        for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let count = received.withLock { count -> Int in
                    count += 1
                    return count
                }
                if count == 1 {
                    logger.info("shutdown requested; finishing messages in flight", ["signal": .string(name)])
                    onFirstSignal(name)
                } else {
                    logger.warning("second signal; exiting without finishing", ["signal": .string(name)])
                    Self.exitNow()
                }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = Locked(sources)
        Self.unblockSignalsOnThisThread()
    }

    deinit {
        sources.withLock { sources in
            sources.forEach { $0.cancel() }
        }
    }

    /// Flushes the C output streams (standard output among them) and ends the process with
    /// status 1 at once.
    ///
    /// `exit` would run the atexit handlers first, and meanwhile the graceful shutdown on
    /// other threads can finish and end the process with status 0. `_exit` skips them.
    public static func exitNow() -> Never {
        fflush(nil)
        _exit(1)
    }

    /// Unblocks SIGTERM and SIGINT for the calling thread, in case the parent process
    /// started this one with them blocked.
    private static func unblockSignalsOnThisThread() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
