// MARK: - Alert identifiers

/// Deterministic alert ids, so that an alert sent again after a restart carries the id of
/// the first copy.
public enum AlertIdentifier {
    /// Returns `alert-` and 16 hexadecimal digits: the 64-bit FNV-1a hash of the UTF-8 text
    /// `spectag.alert.v1`, entity key, rule and window start in milliseconds, separated by
    /// line feeds.
    ///
    /// The id depends on nothing else, so the same window of the same rule for the same
    /// entity always gets the same id.
    public static func make(entityKey: String, rule: AlertRuleName, windowStart: Int64) -> String {
        let text = "\(AlertRecord.schemaName)\n\(entityKey)\n\(rule.rawValue)\n\(windowStart)"
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return "alert-" + String(repeating: "0", count: 16 - digits.count) + digits
    }
}
