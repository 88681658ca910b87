import SpecTagMetrics

// MARK: - Metrics

/// The Prometheus metrics of the alert stage.
struct AlertMetrics: Sendable {
    let recordsProcessed: Counter
    let lateRecords: Counter
    let invalidRecords: Counter
    let replayedRecords: Counter
    let alerts: [AlertRuleName: Counter]
    let suppressedAlerts: [AlertRuleName: Counter]
    let entitiesTracked: Gauge
    let restores: Counter
    let restoredEntities: Counter
    let evictedEntities: Counter

    /// Registers every metric, with each rule label, so that they are exported as 0 from the start.
    ///
    /// - Throws: ``MetricsError`` when `registry` already has one of the names with another
    ///   type, help text or label set.
    init(registry: MetricsRegistry) throws {
        recordsProcessed = try registry.counter(
            "spectag_alert_records_processed_total",
            help: "Entity-sentiment records read by the alert stage, valid or not."
        )
        lateRecords = try registry.counter(
            "spectag_alert_late_records_total",
            help: "Records older than their entity's watermark minus the allowed lateness, which change no window."
        )
        invalidRecords = try registry.counter(
            "spectag_alert_invalid_records_total",
            help: "Records that could not be decoded or failed validation."
        )
        replayedRecords = try registry.counter(
            "spectag_alert_replayed_records_total",
            help: "Records read again after a restart and skipped because the restored state already counts them."
        )
        var alerts: [AlertRuleName: Counter] = [:]
        var suppressed: [AlertRuleName: Counter] = [:]
        for rule in AlertRuleName.allCases {
            alerts[rule] = try registry.counter(
                "spectag_alerts_total", help: "Alerts sent, by rule.", labels: ["rule": rule.rawValue]
            )
            suppressed[rule] = try registry.counter(
                "spectag_alert_suppressed_total",
                help: "Rule conditions that held while the rule's cooldown for the entity was running.",
                labels: ["rule": rule.rawValue]
            )
        }
        self.alerts = alerts
        self.suppressedAlerts = suppressed
        entitiesTracked = try registry.gauge(
            "spectag_alert_entities_tracked", help: "Entities whose window state this alert stage keeps."
        )
        restores = try registry.counter(
            "spectag_alert_state_restores_total", help: "Reads of the changelog topic to restore entity state."
        )
        restoredEntities = try registry.counter(
            "spectag_alert_restored_entities_total", help: "Entity states restored from the changelog topic."
        )
        evictedEntities = try registry.counter(
            "spectag_alert_evicted_entities_total", help: "Idle entities whose state was removed."
        )
    }
}
