import Foundation

// MARK: - Clock

/// The wall clock of the alert stage: the event time of records that carry neither
/// `published_at` nor `processed_at`, and the `created_at` of alerts. Tests pass a clock
/// they control.
public protocol AlertClock: Sendable {
    func now() -> Date
}

/// The system clock.
public struct SystemAlertClock: AlertClock {
    public init() {}

    public func now() -> Date {
        Date()
    }
}
