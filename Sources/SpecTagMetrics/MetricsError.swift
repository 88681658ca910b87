// MARK: - Errors

/// A metric registration that breaks the Prometheus data model or conflicts with an earlier one.
public enum MetricsError: Error, Equatable, CustomStringConvertible {
    /// A metric name outside `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    case invalidMetricName(String)
    /// A label name outside `[a-zA-Z_][a-zA-Z0-9_]*`, starting with the reserved `__`, or `le` on a histogram.
    case invalidLabelName(metric: String, label: String)
    /// The name is already registered as another type, with other help text, label names or buckets.
    case conflictingRegistration(metric: String, reason: String)
    /// Histogram bucket bounds that are empty, not finite or not strictly increasing.
    case invalidBuckets(metric: String, reason: String)

    public var description: String {
        switch self {
        case .invalidMetricName(let name):
            "invalid metric name '\(name)': use letters, digits, '_' and ':', not starting with a digit"
        case .invalidLabelName(let metric, let label):
            "invalid label name '\(label)' on metric '\(metric)': use letters, digits and '_', not starting with "
                + "a digit or '__' ('le' is reserved on histograms)"
        case .conflictingRegistration(let metric, let reason):
            "metric '\(metric)' conflicts with an earlier registration: \(reason)"
        case .invalidBuckets(let metric, let reason):
            "invalid buckets for histogram '\(metric)': \(reason)"
        }
    }
}

// MARK: - Name rules

/// Returns whether `name` matches the Prometheus metric name pattern `[a-zA-Z_:][a-zA-Z0-9_:]*`.
func isValidMetricName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, isLetterOrUnderscore(first) || first == ":" else {
        return false
    }
    return name.unicodeScalars.allSatisfy { isLetterOrUnderscore($0) || isDigit($0) || $0 == ":" }
}

/// Returns whether `name` matches `[a-zA-Z_][a-zA-Z0-9_]*` and does not start with the reserved `__`.
func isValidLabelName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, isLetterOrUnderscore(first), !name.hasPrefix("__") else {
        return false
    }
    return name.unicodeScalars.allSatisfy { isLetterOrUnderscore($0) || isDigit($0) }
}

private func isLetterOrUnderscore(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
}

private func isDigit(_ scalar: Unicode.Scalar) -> Bool {
    ("0"..."9").contains(scalar)
}
