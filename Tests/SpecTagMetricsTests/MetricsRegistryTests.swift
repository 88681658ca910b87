import Foundation
import XCTest

@testable import SpecTagMetrics

final class MetricsRegistryTests: XCTestCase {
    // MARK: Rendering

    func testCounterRendersHelpTypeAndLabelledSeries() throws {
        let registry = MetricsRegistry()
        try registry.counter("messages_total", help: "Messages processed.", labels: ["topic": "news", "direction": "in"])
            .increment(by: 3)
        try registry.counter("messages_total", help: "Messages processed.", labels: ["topic": "news", "direction": "out"])
            .increment(by: 1.5)

        XCTAssertEqual(registry.render(), """
            # HELP messages_total Messages processed.
            # TYPE messages_total counter
            messages_total{direction="in",topic="news"} 3
            messages_total{direction="out",topic="news"} 1.5

            """)
    }

    func testGaugeRendersWithoutLabels() throws {
        let registry = MetricsRegistry()
        let lag = try registry.gauge("consumer_lag_messages", help: "Messages behind the end of the partition.")
        lag.set(10)
        lag.decrement(by: 12.5)
        lag.increment()

        XCTAssertEqual(registry.render(), """
            # HELP consumer_lag_messages Messages behind the end of the partition.
            # TYPE consumer_lag_messages gauge
            consumer_lag_messages -1.5

            """)
    }

    func testHistogramRendersCumulativeBuckets() throws {
        let registry = MetricsRegistry()
        let latency = try registry.histogram(
            "step_latency_seconds", help: "Time per tagging step.", labels: ["stage": "draft"], buckets: [0.25, 0.5, 1]
        )
        for value in [0.125, 0.25, 0.5, 2] {
            latency.observe(value)
        }

        XCTAssertEqual(registry.render(), """
            # HELP step_latency_seconds Time per tagging step.
            # TYPE step_latency_seconds histogram
            step_latency_seconds_bucket{stage="draft",le="0.25"} 2
            step_latency_seconds_bucket{stage="draft",le="0.5"} 3
            step_latency_seconds_bucket{stage="draft",le="1"} 3
            step_latency_seconds_bucket{stage="draft",le="+Inf"} 4
            step_latency_seconds_sum{stage="draft"} 2.875
            step_latency_seconds_count{stage="draft"} 4

            """)
    }

    func testHistogramWithoutLabelsAndDurations() throws {
        let registry = MetricsRegistry()
        let histogram = try registry.histogram("wait_seconds", help: "Wait.", buckets: [1])
        histogram.observe(Duration.milliseconds(500))
        histogram.observe(Double.nan)

        XCTAssertEqual(registry.render(), """
            # HELP wait_seconds Wait.
            # TYPE wait_seconds histogram
            wait_seconds_bucket{le="1"} 1
            wait_seconds_bucket{le="+Inf"} 1
            wait_seconds_sum 0.5
            wait_seconds_count 1

            """)
    }

    func testFamiliesAndSeriesAreSorted() throws {
        let registry = MetricsRegistry()
        try registry.counter("zeta_total", help: "Z.").increment()
        try registry.gauge("alpha", help: "A.", labels: ["k": "b"]).set(2)
        try registry.gauge("alpha", help: "A.", labels: ["k": "a"]).set(1)

        XCTAssertEqual(registry.render(), """
            # HELP alpha A.
            # TYPE alpha gauge
            alpha{k="a"} 1
            alpha{k="b"} 2
            # HELP zeta_total Z.
            # TYPE zeta_total counter
            zeta_total 1

            """)
    }

    func testEmptyRegistryRendersNothing() {
        XCTAssertEqual(MetricsRegistry().render(), "")
    }

    // MARK: Escaping and numbers

    func testLabelValuesAndHelpAreEscaped() throws {
        let registry = MetricsRegistry()
        try registry.counter("errors_total", help: "Errors\\by \"kind\"\nsecond line.", labels: ["reason": "a\\b\"c\nd"])
            .increment()

        XCTAssertEqual(registry.render(), """
            # HELP errors_total Errors\\\\by "kind"\\nsecond line.
            # TYPE errors_total counter
            errors_total{reason="a\\\\b\\"c\\nd"} 1

            """)
    }

    func testNumberFormatting() {
        XCTAssertEqual(ExpositionFormat.formatNumber(1), "1")
        XCTAssertEqual(ExpositionFormat.formatNumber(-0.0), "0")
        XCTAssertEqual(ExpositionFormat.formatNumber(0.005), "0.005")
        XCTAssertEqual(ExpositionFormat.formatNumber(0.000_01), "1e-05")
        XCTAssertEqual(ExpositionFormat.formatNumber(2.5), "2.5")
        XCTAssertEqual(ExpositionFormat.formatNumber(.infinity), "+Inf")
        XCTAssertEqual(ExpositionFormat.formatNumber(-.infinity), "-Inf")
        XCTAssertEqual(ExpositionFormat.formatNumber(.nan), "NaN")
        XCTAssertEqual(ExpositionFormat.formatNumber(9_007_199_254_740_991), "9007199254740991")
        XCTAssertEqual(ExpositionFormat.formatNumber(1e20), "1e+20")
    }

    // MARK: Validation

    func testInvalidMetricNamesThrow() {
        for name in ["", "1abc", "a-b", "a b", "héllo"] {
            XCTAssertThrowsError(try MetricsRegistry().counter(name, help: "x"), name) { error in
                XCTAssertEqual(error as? MetricsError, .invalidMetricName(name))
            }
        }
        XCTAssertNoThrow(try MetricsRegistry().counter("ns:sub_system_total", help: "Colons are allowed."))
    }

    func testInvalidLabelNamesThrow() {
        for label in ["__reserved", "1a", "a-b", "a:b", ""] {
            XCTAssertThrowsError(try MetricsRegistry().counter("x_total", help: "x", labels: [label: "v"]), label) { error in
                XCTAssertEqual(error as? MetricsError, .invalidLabelName(metric: "x_total", label: label))
            }
        }
        XCTAssertThrowsError(try MetricsRegistry().histogram("h", help: "h", labels: ["le": "1"])) { error in
            XCTAssertEqual(error as? MetricsError, .invalidLabelName(metric: "h", label: "le"))
        }
    }

    func testInvalidBucketsThrow() {
        let cases: [[Double]] = [[], [1, 1], [2, 1], [1, .infinity], [.nan]]
        for buckets in cases {
            XCTAssertThrowsError(try MetricsRegistry().histogram("h", help: "h", buckets: buckets), "\(buckets)") { error in
                guard case .invalidBuckets(let metric, _) = error as? MetricsError else {
                    XCTFail("expected invalidBuckets for \(buckets), got \(error)")
                    return
                }
                XCTAssertEqual(metric, "h")
            }
        }
    }

    func testConflictingRegistrationsThrow() throws {
        let registry = MetricsRegistry()
        _ = try registry.counter("requests_total", help: "Requests.", labels: ["path": "/"])
        _ = try registry.histogram("latency_seconds", help: "Latency.", buckets: [1, 2])

        XCTAssertThrowsError(try registry.gauge("requests_total", help: "Requests.", labels: ["path": "/"])) { error in
            XCTAssertEqual(
                String(describing: error),
                "metric 'requests_total' conflicts with an earlier registration: it is a counter"
            )
        }
        XCTAssertThrowsError(try registry.counter("requests_total", help: "Other help.", labels: ["path": "/"]))
        XCTAssertThrowsError(try registry.counter("requests_total", help: "Requests.", labels: ["method": "GET"]))
        XCTAssertThrowsError(try registry.counter("requests_total", help: "Requests."))
        XCTAssertThrowsError(try registry.histogram("latency_seconds", help: "Latency.", buckets: [1, 3]))
        XCTAssertThrowsError(try registry.counter("latency_seconds_count", help: "Clash.")) { error in
            XCTAssertEqual(
                String(describing: error),
                "metric 'latency_seconds_count' conflicts with an earlier registration: the histogram "
                    + "'latency_seconds' already exposes 'latency_seconds_count'"
            )
        }
    }

    func testSameNameAndLabelsReturnSameMetric() throws {
        let registry = MetricsRegistry()
        let first = try registry.counter("hits_total", help: "Hits.", labels: ["a": "1"])
        let again = try registry.counter("hits_total", help: "Hits.", labels: ["a": "1"])
        let other = try registry.counter("hits_total", help: "Hits.", labels: ["a": "2"])
        XCTAssertTrue(first === again)
        XCTAssertFalse(first === other)
    }

    func testCounterIgnoresNegativeAndNaN() throws {
        let counter = try MetricsRegistry().counter("c_total", help: "c")
        counter.increment(by: 2)
        counter.increment(by: -5)
        counter.increment(by: .nan)
        XCTAssertEqual(counter.value, 2)
    }

    // MARK: Concurrency

    func testConcurrentUpdatesAreExact() throws {
        let registry = MetricsRegistry()
        let gauge = try registry.gauge("in_flight", help: "In flight.")
        let histogram = try registry.histogram("h_seconds", help: "h", buckets: [0.5])
        let threads = 8
        let iterations = 10_000

        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            guard let counter = try? registry.counter("ops_total", help: "Ops.", labels: ["worker": "\(thread % 4)"]) else {
                return
            }
            for index in 0..<iterations {
                counter.increment()
                gauge.increment()
                gauge.decrement(by: 0.5)
                histogram.observe(index.isMultiple(of: 2) ? 0.25 : 1)
            }
        }

        var total = 0.0
        for worker in 0..<4 {
            total += try registry.counter("ops_total", help: "Ops.", labels: ["worker": "\(worker)"]).value
        }
        XCTAssertEqual(total, Double(threads * iterations))
        XCTAssertEqual(gauge.value, Double(threads * iterations) * 0.5)
        let snapshot = histogram.snapshot
        XCTAssertEqual(snapshot.count, UInt64(threads * iterations))
        XCTAssertEqual(snapshot.cumulativeCounts, [UInt64(threads * iterations / 2), UInt64(threads * iterations)])
    }
}
