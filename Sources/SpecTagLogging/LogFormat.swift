import Foundation

// MARK: - Formats

/// Line format of ``StreamLogHandler``.
public enum LogFormat: String, CaseIterable, Sendable {
    /// One JSON object per line:
    /// `{"ts":"2026-12-04T20:31:07.123Z","level":"info","logger":"spectag.serve","msg":"consumer started","partitions":6}`.
    ///
    /// `ts`, `level`, `logger` and `msg` come first in that order, then the metadata keys sorted.
    /// A metadata key equal to one of those four is written with a `_` prefix so that no key repeats.
    /// Non-finite doubles are written as the strings `"NaN"`, `"+Inf"` and `"-Inf"` because JSON has no such numbers.
    case json
    /// Human-readable text: `2026-12-04T20:31:07.123Z INFO spectag.serve: consumer started partitions=6`.
    ///
    /// Metadata follows the message as `key=value` sorted by key. A value that is empty or contains
    /// spaces, `=`, quotes or control characters is written as a JSON string literal.
    case text

    /// Renders `entry` as one line without the trailing newline.
    public func render(_ entry: LogEntry) -> String {
        switch self {
        case .json: JSONLineRenderer.render(entry)
        case .text: TextLineRenderer.render(entry)
        }
    }
}

// MARK: - Timestamps

/// Formats `date` as ISO-8601 in UTC with milliseconds, for example `2026-12-04T20:31:07.123Z`.
///
/// Milliseconds are truncated toward the past, so the text never shows a later time than `date`.
public func iso8601Milliseconds(_ date: Date) -> String {
    let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    var seconds = time_t(totalMilliseconds.floorDivided(by: 1000))
    let milliseconds = Int(totalMilliseconds - Int64(seconds) * 1000)

    var fields = tm()
    guard gmtime_r(&seconds, &fields) != nil else {
        return String(date.timeIntervalSince1970)
    }
    let year = Int(fields.tm_year) + 1900
    return padded(year, 4) + "-" + padded(Int(fields.tm_mon) + 1, 2) + "-" + padded(Int(fields.tm_mday), 2)
        + "T" + padded(Int(fields.tm_hour), 2) + ":" + padded(Int(fields.tm_min), 2) + ":"
        + padded(Int(fields.tm_sec), 2) + "." + padded(milliseconds, 3) + "Z"
}

private func padded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

// MARK: - JSON

enum JSONLineRenderer {
    static let reservedKeys: Set<String> = ["ts", "level", "logger", "msg"]

    static func render(_ entry: LogEntry) -> String {
        var output = "{"
        appendField("ts", .string(iso8601Milliseconds(entry.timestamp)), to: &output, first: true)
        appendField("level", .string(entry.level.rawValue), to: &output)
        appendField("logger", .string(entry.label), to: &output)
        appendField("msg", .string(entry.message), to: &output)

        var usedKeys = reservedKeys
        for key in entry.metadata.keys.sorted() {
            guard let value = entry.metadata[key] else { continue }
            var outputKey = key
            while usedKeys.contains(outputKey) {
                outputKey = "_" + outputKey
            }
            usedKeys.insert(outputKey)
            appendField(outputKey, value, to: &output)
        }
        output += "}"
        return output
    }

    private static func appendField(_ key: String, _ value: LogValue, to output: inout String, first: Bool = false) {
        if !first { output += "," }
        appendString(key, to: &output)
        output += ":"
        appendValue(value, to: &output)
    }

    static func appendValue(_ value: LogValue, to output: inout String) {
        switch value {
        case .string(let string):
            appendString(string, to: &output)
        case .int(let int):
            output += String(int)
        case .double(let double):
            appendDouble(double, to: &output)
        case .bool(let bool):
            output += bool ? "true" : "false"
        case .array(let array):
            output += "["
            for (index, element) in array.enumerated() {
                if index > 0 { output += "," }
                appendValue(element, to: &output)
            }
            output += "]"
        case .dictionary(let dictionary):
            output += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                appendString(key, to: &output)
                output += ":"
                appendValue(dictionary[key] ?? .string(""), to: &output)
            }
            output += "}"
        }
    }

    private static func appendDouble(_ double: Double, to output: inout String) {
        if double.isNaN {
            output += "\"NaN\""
        } else if double.isInfinite {
            output += double > 0 ? "\"+Inf\"" : "\"-Inf\""
        } else {
            // Swift prints finite doubles as `0.25`, `5.0` or `1e-05`, all valid JSON numbers.
            output += String(double)
        }
    }

    /// Appends `string` as a JSON string literal (RFC 8259): quotes, backslashes and all
    /// control characters below U+0020 are escaped, everything else is copied as UTF-8.
    static func appendString(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    output += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}

// MARK: - Text

enum TextLineRenderer {
    static func render(_ entry: LogEntry) -> String {
        var output = iso8601Milliseconds(entry.timestamp)
        output += " " + entry.level.rawValue.uppercased()
        output += " " + entry.label + ": "
        output += escapeControlCharacters(entry.message)
        for key in entry.metadata.keys.sorted() {
            guard let value = entry.metadata[key] else { continue }
            output += " " + key + "=" + renderValue(value)
        }
        return output
    }

    private static func renderValue(_ value: LogValue) -> String {
        let text = value.description
        let needsQuotes = text.isEmpty || text.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "=" || scalar == "\"" || scalar == "\\" || scalar.value < 0x20
        }
        guard needsQuotes else { return text }
        var quoted = ""
        JSONLineRenderer.appendString(text, to: &quoted)
        return quoted
    }

    /// Keeps one entry on one line: control characters in the message become `\n`, `\t`, `\u0007`.
    private static func escapeControlCharacters(_ message: String) -> String {
        guard message.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return message }
        var output = ""
        for scalar in message.unicodeScalars {
            switch scalar {
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    output += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }
}
