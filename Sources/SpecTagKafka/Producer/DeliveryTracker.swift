import CRdKafka
import Foundation
import SpecTagLogging

// MARK: - Pending deliveries

/// Continuations of `send` calls that wait for their delivery report, keyed by the
/// message opaque that librdkafka hands back in the delivery callback.
final class DeliveryTracker: Sendable {
    typealias Continuation = CheckedContinuation<KafkaDeliveryReport, any Error>

    private struct State {
        // Identifiers start at 1 because opaque 0 would be a null pointer.
        var nextIdentifier: UInt = 1
        var pending: [UInt: Continuation] = [:]
    }

    private let state = Locked(State())

    /// Stores `continuation` and returns the identifier to pass as the message opaque.
    func register(_ continuation: Continuation) -> UInt {
        state.withLock { state in
            let identifier = state.nextIdentifier
            state.nextIdentifier += 1
            state.pending[identifier] = continuation
            return identifier
        }
    }

    /// Removes and returns the continuation of `identifier`, or `nil` if it was resumed.
    func remove(_ identifier: UInt) -> Continuation? {
        state.withLock { $0.pending.removeValue(forKey: identifier) }
    }

    var pendingCount: Int {
        state.withLock { $0.pending.count }
    }

    /// Resumes every waiting `send` with `error`.
    func failAll(with error: KafkaError) {
        let continuations = state.withLock { state in
            let all = Array(state.pending.values)
            state.pending.removeAll()
            return all
        }
        for continuation in continuations {
            continuation.resume(throwing: error)
        }
    }
}

// MARK: - Delivery callback

/// `dr_msg_cb`: resumes the `send` call of a message once the broker acknowledged it or
/// librdkafka gave up on it. It runs on the thread that calls `rd_kafka_poll`.
func deliverReport(
    handle: OpaquePointer?,
    message: UnsafePointer<rd_kafka_message_t>?,
    opaque: UnsafeMutableRawPointer?
) {
    guard let message, let tracker = ClientCallbacks.from(opaque)?.deliveryTracker else { return }
    let identifier = UInt(bitPattern: message.pointee._private)
    guard let continuation = tracker.remove(identifier) else {
        kafkaLogger.warning("delivery report for an unknown message", ["opaque": .int(Int(bitPattern: identifier))])
        return
    }

    let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "unknown"
    let code = message.pointee.err
    guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
        let operation = "deliver message to topic \"\(topic)\""
        if code == RD_KAFKA_RESP_ERR__FATAL, let handle {
            continuation.resume(throwing: KafkaError.fatal(of: handle, operation: operation))
        } else {
            continuation.resume(throwing: KafkaError(code: code, operation: operation))
        }
        return
    }

    var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
    let milliseconds = rd_kafka_message_timestamp(message, &timestampType)
    let timestamp = milliseconds >= 0 ? Date(timeIntervalSince1970: Double(milliseconds) / 1000) : nil
    continuation.resume(returning: KafkaDeliveryReport(
        topic: topic,
        partition: message.pointee.partition,
        offset: message.pointee.offset,
        timestamp: timestamp
    ))
}
