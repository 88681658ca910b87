import CRdKafka
import Foundation

// MARK: - rd_kafka_conf_t

/// Creates an `rd_kafka_conf_t` with `properties` set in order, so later entries win.
///
/// The caller owns the result: pass it to `rd_kafka_new`, which takes ownership on
/// success, or destroy it with `rd_kafka_conf_destroy`.
/// - Throws: ``KafkaError`` with code `_INVALID_ARG` for an unknown property or an invalid
///   value. The operation names the key and the reason is librdkafka's message, with the
///   value replaced by `[REDACTED]` when the key is secret.
func makeNativeConfiguration(_ properties: KafkaProperties) throws -> OpaquePointer {
    guard let configuration = rd_kafka_conf_new() else {
        throw KafkaError(code: RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE, operation: "allocate a librdkafka configuration")
    }
    for entry in properties.entries {
        var reasonBuffer = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(configuration, entry.key, entry.value, &reasonBuffer, reasonBuffer.count)
        guard result == RD_KAFKA_CONF_OK else {
            rd_kafka_conf_destroy(configuration)
            throw invalidPropertyError(entry: entry, reason: String(nulTerminated: reasonBuffer))
        }
    }
    return configuration
}

/// Makes the error for a property that `rd_kafka_conf_set` rejected, redacting a secret
/// value wherever librdkafka's message quotes it.
func invalidPropertyError(entry: KafkaProperties.Entry, reason: String) -> KafkaError {
    var shownReason = reason
    if KafkaProperties.isSecret(key: entry.key), !entry.value.isEmpty {
        shownReason = shownReason.replacingOccurrences(
            of: entry.value,
            with: KafkaProperties.loggableValue(of: entry)
        )
    }
    return KafkaError(
        code: RD_KAFKA_RESP_ERR__INVALID_ARG,
        operation: "set librdkafka property \"\(entry.key)\"",
        reason: shownReason
    )
}
