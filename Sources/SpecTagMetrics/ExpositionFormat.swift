// MARK: - Prometheus text format 0.0.4

/// Writes families in the Prometheus text exposition format, version 0.0.4:
/// `# HELP` and `# TYPE` lines, then one `name{label="value"} number` line per series.
enum ExpositionFormat {
    static func append(_ family: MetricsRegistry.Family, to output: inout String) {
        output += "# HELP \(family.name) \(escapeHelp(family.help))\n"
        output += "# TYPE \(family.name) \(family.type.rawValue)\n"

        let sortedChildren = family.children.sorted { left, right in
            left.key.lexicographicallyPrecedes(right.key)
        }
        for (labelValues, child) in sortedChildren {
            let labels = Array(zip(family.labelNames, labelValues))
            switch child {
            case .counter(let counter):
                appendSample(family.name, labels: labels, value: counter.value, to: &output)
            case .gauge(let gauge):
                appendSample(family.name, labels: labels, value: gauge.value, to: &output)
            case .histogram(let histogram):
                appendHistogram(family.name, labels: labels, histogram: histogram, to: &output)
            }
        }
    }

    private static func appendHistogram(
        _ name: String,
        labels: [(String, String)],
        histogram: Histogram,
        to output: inout String
    ) {
        let snapshot = histogram.snapshot
        let bounds = histogram.buckets.map(formatNumber) + ["+Inf"]
        for (bound, count) in zip(bounds, snapshot.cumulativeCounts) {
            appendSample(name + "_bucket", labels: labels + [("le", bound)], value: Double(count), to: &output)
        }
        appendSample(name + "_sum", labels: labels, value: snapshot.sum, to: &output)
        appendSample(name + "_count", labels: labels, value: Double(snapshot.count), to: &output)
    }

    private static func appendSample(_ name: String, labels: [(String, String)], value: Double, to output: inout String) {
        output += name
        if !labels.isEmpty {
            output += "{"
            output += labels.map { label, value in "\(label)=\"\(escapeLabelValue(value))\"" }.joined(separator: ",")
            output += "}"
        }
        output += " " + formatNumber(value) + "\n"
    }

    // MARK: Escaping and numbers

    /// Escapes `\` and line feed, as the format requires for `# HELP` text.
    static func escapeHelp(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Escapes `\`, `"` and line feed, as the format requires inside label values.
    static func escapeLabelValue(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Formats a sample value or bucket bound: integers without a fraction (`3`, `1`),
    /// other finite values in Swift's shortest round-trip form (`0.25`, `1e-05`), and
    /// `+Inf`, `-Inf` and `NaN`, which Go's `strconv.ParseFloat` in Prometheus accepts.
    static func formatNumber(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        // 2^53: beyond it not every integer is representable, so the float form is exact instead.
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return String(value)
    }
}
