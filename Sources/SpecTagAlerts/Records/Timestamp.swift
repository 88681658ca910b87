import Foundation

// MARK: - Timestamps

/// RFC 3339 timestamps as the records carry them, converted to and from milliseconds since
/// the Unix epoch, which is the time unit of windows and state.
public enum Timestamp {
    private static let parser = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let formatter = Date.ISO8601FormatStyle()

    /// Parses an RFC 3339 timestamp such as `2026-12-04T20:00:01.234Z` or
    /// `2026-12-04T21:00:00+01:00`, rounded to whole milliseconds.
    ///
    /// - Returns: milliseconds since the epoch, or `nil` when the text is not such a
    ///   timestamp (a date without time, or a space instead of `T`, is rejected).
    public static func milliseconds(parsing text: String) -> Int64? {
        guard let date = try? parser.parse(text) else { return nil }
        return milliseconds(of: date)
    }

    /// Returns `date` as whole milliseconds since the epoch, rounded to the nearest one.
    public static func milliseconds(of date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        // Dates beyond about ±292 million years do not fit and are clamped.
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value)
    }

    /// Formats milliseconds since the epoch as UTC with three fractional digits, such as
    /// `2026-12-04T20:00:01.234Z`.
    public static func string(milliseconds: Int64) -> String {
        let seconds = floorDivide(milliseconds, 1000)
        let fraction = milliseconds - seconds * 1000
        let whole = formatter.format(Date(timeIntervalSince1970: TimeInterval(seconds)))
        guard whole.hasSuffix("Z") else { return whole }
        let digits = String(fraction)
        let padded = String(repeating: "0", count: 3 - digits.count) + digits
        return whole.dropLast() + "." + padded + "Z"
    }

    /// Returns the date of milliseconds since the epoch.
    public static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }
}

/// Divides and rounds towards minus infinity, so times before the epoch fall into the
/// right bucket.
func floorDivide(_ dividend: Int64, _ divisor: Int64) -> Int64 {
    let quotient = dividend / divisor
    let remainder = dividend % divisor
    return (remainder != 0 && (remainder < 0) != (divisor < 0)) ? quotient - 1 : quotient
}
