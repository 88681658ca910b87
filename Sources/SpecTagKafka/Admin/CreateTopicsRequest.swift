import CRdKafka

// MARK: - CreateTopics request

/// One `rd_kafka_CreateTopics` call with the native objects it needs, freed on `deinit`.
final class CreateTopicsRequest {
    /// The broker's result for one topic.
    struct TopicResult {
        var topic: String
        var code: rd_kafka_resp_err_t
        var reason: String?
    }

    private let handle: OpaquePointer
    private let timeout: Duration
    private var newTopics: [OpaquePointer?] = []

    /// Builds the native topic descriptions.
    ///
    /// - Throws: ``KafkaError`` with code `_INVALID_ARG` and librdkafka's message for an
    ///   invalid partition count, replication factor or config entry.
    init(handle: OpaquePointer, topics: [KafkaNewTopic], timeout: Duration) throws {
        self.handle = handle
        self.timeout = timeout
        for topic in topics {
            try Self.validate(topic)
            var reasonBuffer = [CChar](repeating: 0, count: 512)
            guard let newTopic = rd_kafka_NewTopic_new(
                topic.name,
                topic.partitionCount,
                topic.replicationFactor ?? -1,
                &reasonBuffer,
                reasonBuffer.count
            ) else {
                throw KafkaError(
                    code: RD_KAFKA_RESP_ERR__INVALID_ARG,
                    operation: "describe new topic \"\(topic.name)\"",
                    reason: String(nulTerminated: reasonBuffer)
                )
            }
            newTopics.append(newTopic)
            for (key, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
                let code = rd_kafka_NewTopic_set_config(newTopic, key, value)
                guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    throw KafkaError(code: code, operation: "set config \"\(key)\" of new topic \"\(topic.name)\"")
                }
            }
        }
    }

    /// Rejects counts that librdkafka would pass on to the broker, which may accept them.
    private static func validate(_ topic: KafkaNewTopic) throws {
        let operation = "describe new topic \"\(topic.name)\""
        guard topic.partitionCount >= 1 else {
            throw KafkaError(
                code: RD_KAFKA_RESP_ERR__INVALID_ARG,
                operation: operation,
                reason: "the partition count must be at least 1, got \(topic.partitionCount)"
            )
        }
        if let replicationFactor = topic.replicationFactor, replicationFactor < 1 {
            throw KafkaError(
                code: RD_KAFKA_RESP_ERR__INVALID_ARG,
                operation: operation,
                reason: "the replication factor must be at least 1, got \(replicationFactor)"
            )
        }
    }

    deinit {
        for newTopic in newTopics {
            rd_kafka_NewTopic_destroy(newTopic)
        }
    }

    /// Sends the request and waits for the result event.
    ///
    /// - Throws: ``KafkaError`` when the request as a whole fails or no result arrives
    ///   within the timeout plus five seconds.
    func run() throws -> [TopicResult] {
        let operation = "create topics"
        guard let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG, operation: operation)
        }
        defer { rd_kafka_AdminOptions_destroy(options) }
        var reasonBuffer = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeout.clampedMilliseconds, &reasonBuffer, reasonBuffer.count)
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeout.clampedMilliseconds, &reasonBuffer, reasonBuffer.count)

        guard let queue = rd_kafka_queue_new(handle) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE, operation: operation)
        }
        defer { rd_kafka_queue_destroy(queue) }

        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(handle, buffer.baseAddress, buffer.count, options, queue)
        }
        let waitLimit = (timeout + .seconds(5)).clampedMilliseconds
        guard let event = rd_kafka_queue_poll(queue, waitLimit) else {
            throw KafkaError(
                code: RD_KAFKA_RESP_ERR__TIMED_OUT,
                operation: operation,
                reason: "no result within \(timeout + .seconds(5))"
            )
        }
        defer { rd_kafka_event_destroy(event) }

        let code = rd_kafka_event_error(event)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: code, operation: operation, reason: rd_kafka_event_error_string(event).map { String(cString: $0) })
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__BAD_MSG, operation: operation, reason: "the result event has an unexpected type")
        }
        var count = 0
        guard let topicResults = rd_kafka_CreateTopics_result_topics(result, &count) else { return [] }
        return (0..<count).compactMap { index in
            guard let topicResult = topicResults[index] else { return nil }
            return TopicResult(
                topic: String(cString: rd_kafka_topic_result_name(topicResult)),
                code: rd_kafka_topic_result_error(topicResult),
                reason: rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) }
            )
        }
    }
}
