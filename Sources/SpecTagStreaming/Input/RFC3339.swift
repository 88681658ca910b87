// MARK: - RFC 3339 date-times

/// Checks the `date-time` production of RFC 3339, section 5.6, which JSON Schema's
/// `"format": "date-time"` refers to: `2026-12-04T20:00:00Z`, `2026-12-04t20:00:00.5+01:00`.
enum RFC3339 {
    /// Returns what is wrong with `text` as an RFC 3339 date-time, or `nil` when it is valid.
    ///
    /// The separator `T` and the zone `Z` may be lower case. Seconds may be 60 (a leap
    /// second), which the check accepts at any time of day, as it has no leap-second table.
    static func problem(in text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else {
            return "expected an RFC 3339 date-time such as 2026-12-04T20:00:00Z"
        }
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.number(digits: 4), reader.skip("-"),
              let month = reader.number(digits: 2), reader.skip("-"),
              let day = reader.number(digits: 2), reader.skip("T", "t"),
              let hour = reader.number(digits: 2), reader.skip(":"),
              let minute = reader.number(digits: 2), reader.skip(":"),
              let second = reader.number(digits: 2)
        else {
            return "expected an RFC 3339 date-time such as 2026-12-04T20:00:00Z"
        }
        if reader.skip(".") {
            guard reader.skipDigits() > 0 else {
                return "expected digits after the decimal point of the seconds"
            }
        }
        if !reader.skip("Z", "z") {
            guard reader.skip("+", "-"),
                  let offsetHours = reader.number(digits: 2), reader.skip(":"),
                  let offsetMinutes = reader.number(digits: 2)
            else {
                return "expected a time zone: Z or an offset such as +01:00"
            }
            guard offsetHours <= 23, offsetMinutes <= 59 else {
                return "the time zone offset is out of range"
            }
        }
        guard reader.isAtEnd else {
            return "unexpected text after the time zone"
        }
        guard (1...12).contains(month) else { return "month \(month) is out of range" }
        guard (1...daysIn(month: month, year: year)).contains(day) else {
            return "day \(day) is out of range for month \(month) of \(year)"
        }
        guard hour <= 23, minute <= 59, second <= 60 else {
            return "the time of day is out of range"
        }
        return nil
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let isLeapYear = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return isLeapYear ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    /// Reads ASCII digits and separators from the front of a byte array.
    private struct DigitReader {
        let bytes: [UInt8]
        var position = 0

        var isAtEnd: Bool { position == bytes.count }

        mutating func number(digits: Int) -> Int? {
            guard position + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[position..<position + digits] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += digits
            return value
        }

        mutating func skip(_ accepted: Unicode.Scalar...) -> Bool {
            guard position < bytes.count, accepted.contains(where: { UInt8(ascii: $0) == bytes[position] }) else {
                return false
            }
            position += 1
            return true
        }

        mutating func skipDigits() -> Int {
            let start = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                position += 1
            }
            return position - start
        }
    }
}
