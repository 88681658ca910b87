import Foundation
import SpecTagEvaluation

/// News messages for the demo, read from JSON lines or a `Time,Headlines` CSV.
enum DemoInput {
    struct Message {
        var key: Data?
        var value: Data
    }

    /// Reads `path`. JSON lines are sent byte for byte, malformed ones included, keyed by their
    /// `id` when they have one. CSV rows become `{id, headline, published_at}` messages.
    /// - Throws: `CLIError` or the CSV reader's error naming the file and line.
    static func read(_ path: String, limit: Int) throws -> [Message] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): not found; pass --input FILE")
        }
        var messages = path.lowercased().hasSuffix(".csv") ? try csvMessages(data, path: path) : jsonLines(data)
        if limit > 0 { messages = Array(messages.prefix(limit)) }
        guard !messages.isEmpty else { throw CLIError("\(path): no messages to replay") }
        return messages
    }

    private static func jsonLines(_ data: Data) -> [Message] {
        data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            let bytes = Data(line)
            guard !bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) else { return nil }
            let id = ((try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any])?["id"] as? String
            return Message(key: id.map { Data($0.utf8) }, value: bytes)
        }
    }

    private static func csvMessages(_ data: Data, path: String) throws -> [Message] {
        let records = try CSVParser.parse(String(decoding: data, as: UTF8.self), fileName: path)
        guard let header = records.first, let textColumn = header.fields.firstIndex(of: "Headlines") else {
            throw CLIError("\(path): a CSV input needs a Headlines column (and optionally Time)")
        }
        let timeColumn = header.fields.firstIndex(of: "Time")
        return try records.dropFirst().enumerated().compactMap { index, record in
            guard textColumn < record.fields.count else { return nil }
            var object: [String: Any] = ["id": "csv-\(index + 1)", "headline": record.fields[textColumn]]
            if let timeColumn, timeColumn < record.fields.count, let date = guardianDate(record.fields[timeColumn]) {
                object["published_at"] = date
            }
            let value = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return Message(key: Data("csv-\(index + 1)".utf8), value: value)
        }
    }

    /// Converts dates such as `5:51  PM ET Fri, 17 July 2020` or `17 July 2020` to RFC 3339 at
    /// midnight UTC, or nil when the text does not parse.
    private static func guardianDate(_ text: String) -> String? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMMM yyyy"
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let datePart = trimmed.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? trimmed
        guard let date = formatter.date(from: datePart) else { return nil }
        return ISO8601DateFormatter().string(from: date)
    }
}
