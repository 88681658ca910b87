import Foundation

/// A value guarded by a lock, shared between threads and tasks.
///
/// It is `package` so that every module of spectag uses this one type: the Kafka callbacks on
/// librdkafka's threads, the metrics registry and the service state read by Swift tasks.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value and returns its result.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
