import Foundation

// MARK: - Monitor text

/// Formats an ``EntityMonitor/Snapshot`` as the text screen of `spectag monitor`.
///
/// The sentiment bar shows the shares of negative (`-`), neutral (`.`) and positive (`+`)
/// mentions in 20 characters. With ``useColor`` the bar and headings get ANSI colors;
/// without it the text is plain ASCII apart from entity names and headlines.
public struct MonitorRenderer: Sendable {
    /// The width of the sentiment bar in characters.
    public static let barWidth = 20

    /// A line under the title, such as the topics and brokers.
    public var subtitle: String
    /// Lines are cut to this many characters; `nil` leaves them whole.
    public var width: Int?
    public var useColor: Bool

    public init(subtitle: String, width: Int?, useColor: Bool) {
        self.subtitle = subtitle
        self.width = width
        self.useColor = useColor
    }

    /// Returns the screen as lines separated by line feeds, ending with one.
    public func render(_ snapshot: EntityMonitor.Snapshot) -> String {
        var lines: [String] = []
        lines.append(style(cut("spectag monitor  " + subtitle), .bold))
        let windowEnd = snapshot.streamTime.map(Self.shortTime) ?? "(no records yet)"
        lines.append(cut(
            "window \(snapshot.window) ending \(windowEnd)   records \(snapshot.recordsRead)   "
                + "entities \(snapshot.entityCount)   alerts \(snapshot.alertsRead)   invalid \(snapshot.invalidRecords)"
        ))
        lines.append("")
        lines.append(style(cut(tableHeader), .bold))
        if snapshot.rows.isEmpty {
            lines.append("(no mentions in the window)")
        }
        for row in snapshot.rows {
            lines.append(tableLine(row))
        }
        lines.append("")
        lines.append(style("LATEST ALERTS", .bold))
        if snapshot.alerts.isEmpty {
            lines.append("(no alerts)")
        }
        for alert in snapshot.alerts {
            lines.append(alertLine(alert))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Table

    private static let entityColumnWidth = 28

    private var tableHeader: String {
        pad("ENTITY", Self.entityColumnWidth) + " TYPE " + padLeft("MENTIONS", 9) + padLeft("NEG", 6) + padLeft("NEU", 6)
            + padLeft("POS", 6) + padLeft("MEAN", 8) + "  SENTIMENT (- neg . neu + pos)"
    }

    private func tableLine(_ row: EntityMonitor.Row) -> String {
        let text = pad(row.entity, Self.entityColumnWidth) + " " + pad(row.entityType, 4) + " "
            + padLeft(String(row.mentions), 9) + padLeft(String(row.negative), 6) + padLeft(String(row.neutral), 6)
            + padLeft(String(row.positive), 6) + padLeft(String(format: "%+.2f", row.meanScore), 8) + "  "
        let room = width.map { max($0 - text.count, 0) } ?? Self.barWidth
        return cut(text) + bar(row, width: min(room, Self.barWidth))
    }

    /// Returns the sentiment bar of `row`, `width` characters long.
    func bar(_ row: EntityMonitor.Row, width: Int) -> String {
        guard row.mentions > 0, width > 0 else { return "" }
        let negative = Int((Double(row.negative) / Double(row.mentions) * Double(width)).rounded())
        let positive = min(Int((Double(row.positive) / Double(row.mentions) * Double(width)).rounded()), width - negative)
        let neutral = max(width - negative - positive, 0)
        return style(String(repeating: "-", count: negative), .red)
            + style(String(repeating: ".", count: neutral), .dim)
            + style(String(repeating: "+", count: positive), .green)
    }

    // MARK: Alerts

    private func alertLine(_ alert: AlertRecord) -> String {
        let text = Self.shortTime(alert.window.end) + "  " + pad(alert.rule.rawValue, 16) + " " + alert.summary
        return style(cut(text), alert.rule == .volumeSpike ? .yellow : .red)
    }

    // MARK: Text helpers

    private enum Style: String {
        case bold = "1"
        case dim = "2"
        case red = "31"
        case green = "32"
        case yellow = "33"
    }

    private func style(_ text: String, _ style: Style) -> String {
        guard useColor, !text.isEmpty else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }

    private func cut(_ text: String) -> String {
        guard let width, text.count > width else { return text }
        return String(text.prefix(max(width - 1, 0))) + "…"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count > width ? String(text.prefix(width - 1)) + "…" : text + String(repeating: " ", count: width - text.count)
    }

    private func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Formats milliseconds since the epoch as `2026-12-04 20:01:00Z`.
    static func shortTime(_ milliseconds: Int64) -> String {
        let text = Timestamp.string(milliseconds: milliseconds)
        return String(text.prefix(19)).replacingOccurrences(of: "T", with: " ") + "Z"
    }
}
