import Foundation

// MARK: - Durations in the configuration

/// A non-negative duration in whole milliseconds, as the alert configuration writes it.
///
/// JSON accepts a number of seconds (`900`, `0.5`) or a string with a unit: `250ms`,
/// `90s`, `15m` or `1h`. It is written as a string in the largest unit that divides it,
/// such as `15m`.
public struct AlertDuration: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func seconds(_ seconds: Int64) -> AlertDuration { AlertDuration(milliseconds: seconds * 1000) }
    public static func minutes(_ minutes: Int64) -> AlertDuration { AlertDuration(milliseconds: minutes * 60_000) }
    public static func hours(_ hours: Int64) -> AlertDuration { AlertDuration(milliseconds: hours * 3_600_000) }

    public var seconds: Double { Double(milliseconds) / 1000 }

    public var duration: Duration { .milliseconds(milliseconds) }

    /// Parses `250ms`, `90s`, `1.5m`, `15m` or `1h`.
    ///
    /// - Returns: `nil` for a negative, non-finite or unitless value, or one too large for
    ///   64-bit milliseconds.
    public init?(parsing text: String) {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = units.first(where: { trimmed.hasSuffix($0.suffix) }),
              let amount = Double(trimmed.dropLast(unit.suffix.count)),
              let milliseconds = Self.wholeMilliseconds(amount * unit.milliseconds)
        else { return nil }
        self.milliseconds = milliseconds
    }

    private static func wholeMilliseconds(_ value: Double) -> Int64? {
        guard value.isFinite, value >= 0, value < 9.2e18 else { return nil }
        return Int64(value.rounded())
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Double.self) {
            guard let milliseconds = Self.wholeMilliseconds(seconds * 1000) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "\(seconds) is not a valid duration: expected a non-negative number of seconds"
                )
            }
            self.milliseconds = milliseconds
            return
        }
        let text = try container.decode(String.self)
        guard let parsed = AlertDuration(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(text)\" is not a valid duration: expected seconds, or a string such as 250ms, 90s, 15m or 1h"
            )
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The duration in the largest unit that divides it: `1h`, `15m`, `90s` or `250ms`.
    public var description: String {
        if milliseconds != 0, milliseconds % 3_600_000 == 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds != 0, milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }

    public static func < (lhs: AlertDuration, rhs: AlertDuration) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }
}
