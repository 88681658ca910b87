import CRdKafka

// MARK: - Kafka error

/// An error that librdkafka or a Kafka broker reported, with the operation that failed.
///
/// `code`, `name` and `reason` come from librdkafka: for example code 36, name
/// `TOPIC_ALREADY_EXISTS` and reason `Broker: Topic already exists`. Codes below zero are
/// librdkafka's local errors and their names start with `_`, such as `_MSG_TIMED_OUT`.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// The recovery that an error calls for.
    public enum Kind: String, Sendable {
        /// The same call may succeed when repeated, for example after a coordinator moved.
        case retriable
        /// The current transaction must be aborted with `abortTransaction`, and may then
        /// be started again.
        case abortableTransaction
        /// The client is unusable and must be closed and created again. For an idempotent
        /// or transactional producer this means that ordering or exactly-once guarantees
        /// could not be kept.
        case fatal
        /// Repeating the call will fail the same way, for example an invalid property.
        case permanent
    }

    /// librdkafka's `rd_kafka_resp_err_t` value.
    public let code: Int32
    /// librdkafka's name of the code, from `rd_kafka_err2name`.
    public let name: String
    /// librdkafka's human-readable explanation.
    public let reason: String
    /// The operation that failed, for example `send message to topic "news"`.
    public let operation: String
    public let kind: Kind

    public init(code: Int32, name: String, reason: String, operation: String, kind: Kind) {
        self.code = code
        self.name = name
        self.reason = reason
        self.operation = operation
        self.kind = kind
    }

    public var description: String {
        "\(operation) failed: \(reason) (\(name), code \(code), \(kind.rawValue))"
    }

    public var isRetriable: Bool { kind == .retriable }
    public var isFatal: Bool { kind == .fatal }
    public var requiresTransactionAbort: Bool { kind == .abortableTransaction }
}

// MARK: - Construction from librdkafka values

extension KafkaError {
    /// Makes an error from a plain error code.
    ///
    /// librdkafka does not classify plain codes, so `kind` comes from ``kind(of:)``.
    /// `reason` defaults to librdkafka's text for the code.
    init(code: rd_kafka_resp_err_t, operation: String, reason: String? = nil) {
        self.init(
            code: code.rawValue,
            name: String(cString: rd_kafka_err2name(code)),
            reason: reason ?? String(cString: rd_kafka_err2str(code)),
            operation: operation,
            kind: KafkaError.kind(of: code)
        )
    }

    /// Makes an error from an `rd_kafka_error_t`, taking its classification, and destroys it.
    init(consuming error: OpaquePointer, operation: String) {
        defer { rd_kafka_error_destroy(error) }
        let kind: Kind
        if rd_kafka_error_is_fatal(error) != 0 {
            kind = .fatal
        } else if rd_kafka_error_txn_requires_abort(error) != 0 {
            kind = .abortableTransaction
        } else if rd_kafka_error_is_retriable(error) != 0 {
            kind = .retriable
        } else {
            kind = .permanent
        }
        self.init(
            code: rd_kafka_error_code(error).rawValue,
            name: String(cString: rd_kafka_error_name(error)),
            reason: String(cString: rd_kafka_error_string(error)),
            operation: operation,
            kind: kind
        )
    }

    /// Makes an error for the `_FATAL` code, naming the underlying error that
    /// `rd_kafka_fatal_error` reports for `handle`.
    static func fatal(of handle: OpaquePointer, operation: String) -> KafkaError {
        var reasonBuffer = [CChar](repeating: 0, count: 512)
        let underlying = rd_kafka_fatal_error(handle, &reasonBuffer, reasonBuffer.count)
        let underlyingName = String(cString: rd_kafka_err2name(underlying))
        return KafkaError(
            code: RD_KAFKA_RESP_ERR__FATAL.rawValue,
            name: String(cString: rd_kafka_err2name(RD_KAFKA_RESP_ERR__FATAL)),
            reason: "\(String(nulTerminated: reasonBuffer)) (underlying error \(underlyingName))",
            operation: operation,
            kind: .fatal
        )
    }

    /// Returns the error that an operation on a closed client throws.
    static func clientClosed(operation: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__STATE, operation: operation, reason: "the client is closed")
    }

    /// Classifies a plain error code.
    ///
    /// The list of transient codes is this module's own: broker moves, timeouts, connection
    /// failures and a full local queue. `_FATAL` is fatal and everything else permanent.
    static func kind(of code: rd_kafka_resp_err_t) -> Kind {
        if code == RD_KAFKA_RESP_ERR__FATAL {
            return .fatal
        }
        return retriableCodes.contains(code.rawValue) ? .retriable : .permanent
    }

    private static let retriableCodes: Set<Int32> = Set([
        RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
        RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__WAIT_COORD,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NOT_COORDINATOR, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
    ].map(\.rawValue))
}
