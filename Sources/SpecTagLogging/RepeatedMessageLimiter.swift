import Foundation

// MARK: - Rate limiting of repeated messages

/// Limits how often a message that repeats in a loop is written.
///
/// The first occurrence of a key is written at once. Later occurrences within `interval`
/// seconds of the last written one are only counted. The next occurrence after the interval
/// is written with the metadata field `suppressed` set to the number of occurrences that
/// were skipped since the last written one.
///
/// ```swift
/// logger.rateLimited(key: "poll-failed", every: 30).error("poll failed", ["error": .describing(error)])
/// ```
///
/// - Important: each distinct key stays in memory until ``reset(key:)``, so use a fixed set of
///   keys (one per failure site), not keys built from offsets or message ids.
public final class RepeatedMessageLimiter: Sendable {
    /// Limiter used by ``Logger/rateLimited(key:every:limiter:)`` unless another is passed.
    public static let shared = RepeatedMessageLimiter()

    private struct KeyState {
        var lastWritten: Double
        var suppressed: Int
    }

    private let now: @Sendable () -> Double
    private let states = Locked<[String: KeyState]>([:])

    /// Makes a limiter that reads time from `now`, in seconds on a monotonic clock.
    /// Tests pass a manual clock.
    public init(now: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.now = now
    }

    /// Writes the message through `logger` unless `key` was written less than `interval` seconds ago.
    ///
    /// - Returns: whether the message was written.
    @discardableResult
    public func log(
        to logger: Logger,
        level: LogLevel,
        key: String,
        every interval: TimeInterval,
        _ message: @autoclosure () -> String,
        _ metadata: @autoclosure () -> LogMetadata = [:],
        file: String = #fileID,
        line: UInt = #line
    ) -> Bool {
        let time = now()
        let suppressed: Int? = states.withLock { states in
            guard let state = states[key] else {
                states[key] = KeyState(lastWritten: time, suppressed: 0)
                return 0
            }
            if time - state.lastWritten >= interval {
                states[key] = KeyState(lastWritten: time, suppressed: 0)
                return state.suppressed
            }
            states[key]?.suppressed += 1
            return nil
        }
        guard let suppressed else { return false }

        var fields = metadata()
        if suppressed > 0 {
            fields["suppressed"] = .int(suppressed)
        }
        logger.log(level: level, message(), fields, file: file, line: line)
        return true
    }

    /// Forgets `key`, so that its next occurrence is written at once, and returns the number
    /// of occurrences suppressed since the last written one.
    ///
    /// Call it when the failing operation succeeds again.
    @discardableResult
    public func reset(key: String) -> Int {
        states.withLock { states in
            states.removeValue(forKey: key)?.suppressed ?? 0
        }
    }
}

// MARK: - Logger front end

/// A logger whose entries for one key are limited by a ``RepeatedMessageLimiter``.
public struct RateLimitedLogger: Sendable {
    public let logger: Logger
    public let key: String
    public let interval: TimeInterval
    public let limiter: RepeatedMessageLimiter

    /// Limiter key: the logger label and the caller's key, so equal keys of two loggers stay apart.
    private var scopedKey: String {
        logger.label + "\u{0}" + key
    }

    @discardableResult
    public func log(level: LogLevel, _ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:],
                    file: String = #fileID, line: UInt = #line) -> Bool {
        limiter.log(to: logger, level: level, key: scopedKey, every: interval, message(), metadata(), file: file, line: line)
    }

    @discardableResult
    public func warning(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:],
                        file: String = #fileID, line: UInt = #line) -> Bool {
        log(level: .warning, message(), metadata(), file: file, line: line)
    }

    @discardableResult
    public func error(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> LogMetadata = [:],
                      file: String = #fileID, line: UInt = #line) -> Bool {
        log(level: .error, message(), metadata(), file: file, line: line)
    }

    /// Forgets the key; see ``RepeatedMessageLimiter/reset(key:)``.
    @discardableResult
    public func reset() -> Int {
        limiter.reset(key: scopedKey)
    }
}

extension Logger {
    /// Returns a front end that writes the first message for `key` and then at most one
    /// message every `interval` seconds, each carrying the count of the ones it skipped.
    public func rateLimited(
        key: String,
        every interval: TimeInterval,
        limiter: RepeatedMessageLimiter = .shared
    ) -> RateLimitedLogger {
        RateLimitedLogger(logger: self, key: key, interval: interval, limiter: limiter)
    }
}
