import SpecTagLogging

// MARK: - Registry

/// A set of metric families rendered together in the Prometheus text format.
///
/// A family is a metric name with its type, help text and label names. Each distinct set of
/// label values is one child metric:
///
/// ```swift
/// let registry = MetricsRegistry()
/// let received = try registry.counter("messages_total", help: "Messages processed.",
///                                     labels: ["topic": "news", "direction": "in"])
/// received.increment()
/// ```
///
/// Asking again for the same name and label values returns the same metric object, so call
/// sites may register lazily. Registration and updates are thread-safe.
public final class MetricsRegistry: Sendable {
    enum MetricType: String {
        case counter
        case gauge
        case histogram
    }

    enum Child {
        case counter(Counter)
        case gauge(Gauge)
        case histogram(Histogram)
    }

    struct Family {
        var name: String
        var type: MetricType
        var help: String
        /// Sorted label names shared by every child.
        var labelNames: [String]
        var buckets: [Double]
        /// Children keyed by their label values in `labelNames` order.
        var children: [[String]: Child]
    }

    private let families = Locked<[String: Family]>([:])

    public init() {}

    // MARK: Registration

    /// Returns the counter `name` with `labels`, registering it on first use.
    ///
    /// - Throws: ``MetricsError`` for an invalid metric or label name, or a name already
    ///   registered with another type, help text or set of label names.
    public func counter(_ name: String, help: String, labels: [String: String] = [:]) throws -> Counter {
        let child = try child(name: name, type: .counter, help: help, labels: labels, buckets: []) {
            .counter(Counter())
        }
        guard case .counter(let counter) = child else { throw typeConflict(name) }
        return counter
    }

    /// Returns the gauge `name` with `labels`, registering it on first use.
    ///
    /// - Throws: ``MetricsError`` as ``counter(_:help:labels:)`` does.
    public func gauge(_ name: String, help: String, labels: [String: String] = [:]) throws -> Gauge {
        let child = try child(name: name, type: .gauge, help: help, labels: labels, buckets: []) {
            .gauge(Gauge())
        }
        guard case .gauge(let gauge) = child else { throw typeConflict(name) }
        return gauge
    }

    /// Returns the histogram `name` with `labels`, registering it on first use.
    ///
    /// - Parameter buckets: finite upper bounds in strictly increasing order; `+Inf` is added.
    ///   Every child of a family has the same buckets.
    /// - Throws: ``MetricsError`` as ``counter(_:help:labels:)`` does, for invalid buckets, for
    ///   the reserved label `le`, and for buckets that differ from the family's.
    public func histogram(
        _ name: String,
        help: String,
        labels: [String: String] = [:],
        buckets: [Double] = Histogram.defaultLatencyBuckets
    ) throws -> Histogram {
        if let problem = Histogram.bucketProblem(buckets) {
            throw MetricsError.invalidBuckets(metric: name, reason: problem)
        }
        if labels["le"] != nil {
            throw MetricsError.invalidLabelName(metric: name, label: "le")
        }
        let child = try child(name: name, type: .histogram, help: help, labels: labels, buckets: buckets) {
            .histogram(Histogram(buckets: buckets))
        }
        guard case .histogram(let histogram) = child else { throw typeConflict(name) }
        return histogram
    }

    // MARK: Rendering

    /// Renders every family in the Prometheus text exposition format, version 0.0.4.
    ///
    /// Families are sorted by name and children by label values, so the output is stable.
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var output = ""
        for name in snapshot.keys.sorted() {
            guard let family = snapshot[name] else { continue }
            ExpositionFormat.append(family, to: &output)
        }
        return output
    }

    // MARK: Helpers

    private func child(
        name: String,
        type: MetricType,
        help: String,
        labels: [String: String],
        buckets: [Double],
        make: () -> Child
    ) throws -> Child {
        guard isValidMetricName(name) else {
            throw MetricsError.invalidMetricName(name)
        }
        for label in labels.keys where !isValidLabelName(label) {
            throw MetricsError.invalidLabelName(metric: name, label: label)
        }
        let labelNames = labels.keys.sorted()
        let labelValues = labelNames.map { labels[$0] ?? "" }

        return try families.withLock { families in
            if var family = families[name] {
                try checkCompatible(family, type: type, help: help, labelNames: labelNames, buckets: buckets)
                if let existing = family.children[labelValues] {
                    return existing
                }
                let created = make()
                family.children[labelValues] = created
                families[name] = family
                return created
            }

            try checkNoSeriesClash(name: name, type: type, in: families)
            let created = make()
            families[name] = Family(
                name: name, type: type, help: help, labelNames: labelNames, buckets: buckets,
                children: [labelValues: created]
            )
            return created
        }
    }

    private func checkCompatible(
        _ family: Family,
        type: MetricType,
        help: String,
        labelNames: [String],
        buckets: [Double]
    ) throws {
        let name = family.name
        if family.type != type {
            throw MetricsError.conflictingRegistration(metric: name, reason: "it is a \(family.type.rawValue)")
        }
        if family.help != help {
            throw MetricsError.conflictingRegistration(metric: name, reason: "its help text is '\(family.help)'")
        }
        if family.labelNames != labelNames {
            let names = family.labelNames.joined(separator: ", ")
            throw MetricsError.conflictingRegistration(metric: name, reason: "its label names are [\(names)]")
        }
        if family.buckets != buckets {
            throw MetricsError.conflictingRegistration(metric: name, reason: "its buckets are \(family.buckets)")
        }
    }

    /// Rejects a family whose series names would repeat another family's, such as a counter
    /// `latency_count` next to a histogram `latency`.
    private func checkNoSeriesClash(name: String, type: MetricType, in families: [String: Family]) throws {
        let newSeries = Set(seriesNames(of: name, type: type))
        for family in families.values {
            let clash = newSeries.intersection(seriesNames(of: family.name, type: family.type))
            if let series = clash.first {
                throw MetricsError.conflictingRegistration(
                    metric: name,
                    reason: "the \(family.type.rawValue) '\(family.name)' already exposes '\(series)'"
                )
            }
        }
    }

    private func seriesNames(of name: String, type: MetricType) -> [String] {
        type == .histogram ? [name, name + "_bucket", name + "_sum", name + "_count"] : [name]
    }

    private func typeConflict(_ name: String) -> MetricsError {
        .conflictingRegistration(metric: name, reason: "it is of another type")
    }
}
