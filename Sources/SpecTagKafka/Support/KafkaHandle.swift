import CRdKafka
import SpecTagLogging

// MARK: - Client handle

/// Owner of one `rd_kafka_t` and of the ``ClientCallbacks`` that librdkafka calls into.
///
/// librdkafka's handle is thread-safe, so the pointer may be used from any thread while
/// this object is alive. `deinit` destroys the handle and then releases the callbacks.
/// - Important: the last reference must not be dropped inside a librdkafka callback,
///   because `rd_kafka_destroy` must not run on librdkafka's own threads.
final class KafkaHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let callbacks: ClientCallbacks
    private let retainedCallbacks: Unmanaged<ClientCallbacks>

    /// Creates a client of `type` with `properties`.
    ///
    /// Before `rd_kafka_new`, the log and error callbacks are installed and `configure` may
    /// install type-specific callbacks on the `rd_kafka_conf_t`.
    /// - Parameter operation: describes the creation in errors, such as `create Kafka producer`.
    /// - Throws: ``KafkaError`` for an invalid property, or with librdkafka's message when
    ///   `rd_kafka_new` rejects the configuration as a whole.
    init(
        type: rd_kafka_type_t,
        properties: KafkaProperties,
        callbacks: ClientCallbacks,
        operation: String,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws {
        let configuration = try makeNativeConfiguration(properties)
        let retained = Unmanaged.passRetained(callbacks)
        rd_kafka_conf_set_opaque(configuration, retained.toOpaque())
        rd_kafka_conf_set_log_cb(configuration, forwardLogLine)
        rd_kafka_conf_set_error_cb(configuration, forwardClientError)
        configure(configuration)

        var reasonBuffer = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, configuration, &reasonBuffer, reasonBuffer.count) else {
            rd_kafka_conf_destroy(configuration)
            retained.release()
            throw KafkaError(
                code: RD_KAFKA_RESP_ERR__INVALID_ARG,
                operation: operation,
                reason: String(nulTerminated: reasonBuffer)
            )
        }
        self.pointer = handle
        self.callbacks = callbacks
        self.retainedCallbacks = retained
    }

    deinit {
        rd_kafka_destroy(pointer)
        retainedCallbacks.release()
    }

    /// librdkafka's instance name, such as `spectag#producer-1`.
    var name: String {
        String(cString: rd_kafka_name(pointer))
    }
}

// MARK: - Callback context

/// The Swift side of one client's librdkafka callbacks, passed as the configuration opaque.
///
/// All stored properties are immutable or thread-safe, because librdkafka calls back from
/// its own threads and from whichever thread polls.
final class ClientCallbacks: Sendable {
    /// Resumes `send` calls when their delivery reports arrive; producers only.
    let deliveryTracker: DeliveryTracker?
    /// Receives rebalance, statistics and error events; consumers only.
    let consumerEvents: AsyncStream<KafkaConsumerEvent>.Continuation?
    /// See ``KafkaConsumerConfiguration/commitStoredOffsetsOnRevoke``.
    let commitStoredOffsetsOnRevoke: Bool
    /// See ``KafkaConsumerConfiguration/revocationHandler``.
    let revocationHandler: (@Sendable ([KafkaTopicPartition]) -> Void)?
    /// See ``KafkaConsumerConfiguration/commitTimeout``.
    let commitTimeout: Duration

    init(
        deliveryTracker: DeliveryTracker? = nil,
        consumerEvents: AsyncStream<KafkaConsumerEvent>.Continuation? = nil,
        commitStoredOffsetsOnRevoke: Bool = false,
        revocationHandler: (@Sendable ([KafkaTopicPartition]) -> Void)? = nil,
        commitTimeout: Duration = .seconds(10)
    ) {
        self.deliveryTracker = deliveryTracker
        self.consumerEvents = consumerEvents
        self.commitStoredOffsetsOnRevoke = commitStoredOffsetsOnRevoke
        self.revocationHandler = revocationHandler
        self.commitTimeout = commitTimeout
    }

    /// Returns the callbacks registered as `opaque`, or `nil` for a null pointer.
    static func from(_ opaque: UnsafeMutableRawPointer?) -> ClientCallbacks? {
        guard let opaque else { return nil }
        return Unmanaged<ClientCallbacks>.fromOpaque(opaque).takeUnretainedValue()
    }
}

// MARK: - Log and error callbacks

/// `log_cb`: forwards librdkafka's log lines, which it emits from its own threads.
private func forwardLogLine(
    handle: OpaquePointer?,
    level: Int32,
    facility: UnsafePointer<CChar>?,
    line: UnsafePointer<CChar>?
) {
    let client = handle.map { String(cString: rd_kafka_name($0)) } ?? "unknown"
    let facilityName = facility.map { String(cString: $0) } ?? ""
    let text = line.map { String(cString: $0) } ?? ""
    let logLevel = logLevel(forSyslogLevel: level)
    let metadata: LogMetadata = ["client": .string(client), "facility": .string(facilityName)]
    guard logLevel >= .warning else {
        kafkaLogger.log(level: logLevel, "librdkafka: \(text)", metadata)
        return
    }
    // A broker that is down makes librdkafka log every reconnect attempt, several a second.
    kafkaLogger.rateLimited(key: "librdkafka-\(client)-\(facilityName)", every: repeatedErrorInterval)
        .log(level: logLevel, "librdkafka: \(text)", metadata)
}

/// Seconds between two log lines of the same repeated client error or librdkafka warning.
let repeatedErrorInterval: Double = 10

/// `error_cb`: logs client-level errors such as "all brokers down" and passes them to a
/// consumer's event stream. librdkafka retries these on its own unless they are fatal.
private func forwardClientError(
    handle: OpaquePointer?,
    code: Int32,
    reason: UnsafePointer<CChar>?,
    opaque: UnsafeMutableRawPointer?
) {
    guard let handle else { return }
    let errorCode = rd_kafka_resp_err_t(rawValue: code)
    let error: KafkaError
    if errorCode == RD_KAFKA_RESP_ERR__FATAL {
        error = KafkaError.fatal(of: handle, operation: "run Kafka client")
    } else {
        error = KafkaError(
            code: errorCode,
            operation: "run Kafka client",
            reason: reason.map { String(cString: $0) }
        )
    }
    let client = String(cString: rd_kafka_name(handle))
    let metadata: LogMetadata = ["client": .string(client), "error": .string(error.description)]
    if error.isFatal {
        kafkaLogger.error("Kafka client error", metadata)
    } else {
        // librdkafka reports a retriable error on every retry, sometimes hundreds at once.
        kafkaLogger.rateLimited(key: "client-error-\(client)-\(code)", every: repeatedErrorInterval)
            .warning("Kafka client error", metadata)
    }
    ClientCallbacks.from(opaque)?.consumerEvents?.yield(.error(error))
}
