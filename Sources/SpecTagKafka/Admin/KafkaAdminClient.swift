import CRdKafka

// MARK: - Admin client

/// Topic administration: create topics and read the topic list from cluster metadata.
///
/// Each call blocks a Dispatch thread, not the caller's, until the broker replies or the
/// timeout passes. Without a poll thread, the error callback runs only after each call,
/// when the client polls its queue once.
public final class KafkaAdminClient: Sendable {
    let handle: KafkaHandle

    /// Creates the client. Connections open lazily.
    ///
    /// - Throws: ``KafkaError`` for an invalid property, naming the key.
    public init(configuration: KafkaAdminConfiguration) throws {
        handle = try KafkaHandle(
            type: RD_KAFKA_PRODUCER,
            properties: configuration.librdkafkaProperties(),
            callbacks: ClientCallbacks(),
            operation: "create Kafka admin client"
        )
    }

    // MARK: Creating topics

    /// Creates `topics` with `rd_kafka_CreateTopics`.
    ///
    /// - Parameter ignoreExisting: treat `TOPIC_ALREADY_EXISTS` as success. The existing
    ///   topic keeps its partition count and configuration, which this call does not check.
    /// - Throws: ``KafkaError`` for an invalid topic description (code `_INVALID_ARG`), a
    ///   failed or timed-out request, or the first topic the broker rejected, naming it.
    public func createTopics(
        _ topics: [KafkaNewTopic],
        ignoreExisting: Bool = false,
        timeout: Duration = .seconds(30)
    ) async throws {
        guard !topics.isEmpty else { return }
        try await runBlocking { [handle] in
            defer { rd_kafka_poll(handle.pointer, 0) }
            let results = try CreateTopicsRequest(handle: handle.pointer, topics: topics, timeout: timeout).run()
            for result in results where result.code != RD_KAFKA_RESP_ERR_NO_ERROR {
                if ignoreExisting, result.code == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                    kafkaLogger.debug("topic already exists", ["topic": .string(result.topic)])
                    continue
                }
                throw KafkaError(code: result.code, operation: "create topic \"\(result.topic)\"", reason: result.reason)
            }
            kafkaLogger.info("topics created", ["topics": .string(topics.map(\.name).joined(separator: ","))])
        }
    }

    /// Creates one topic; see ``createTopics(_:ignoreExisting:timeout:)``.
    public func createTopic(
        _ topic: KafkaNewTopic,
        ignoreExisting: Bool = false,
        timeout: Duration = .seconds(30)
    ) async throws {
        try await createTopics([topic], ignoreExisting: ignoreExisting, timeout: timeout)
    }

    // MARK: Metadata

    /// Lists all topics of the cluster with their partition counts, sorted by name.
    ///
    /// - Throws: ``KafkaError`` when the metadata request fails or times out.
    public func listTopics(timeout: Duration = .seconds(10)) async throws -> [KafkaTopicMetadata] {
        try await runBlocking { [handle] in
            defer { rd_kafka_poll(handle.pointer, 0) }
            return try Self.fetchMetadata(handle: handle.pointer, timeout: timeout)
        }
    }

    /// Returns the partition count of `topic`.
    ///
    /// It reads the metadata of all topics, because a request for one named topic lets a
    /// broker with automatic topic creation create it.
    /// - Throws: ``KafkaError`` with code `UNKNOWN_TOPIC_OR_PART` when the topic does not
    ///   exist, or when the metadata request fails.
    public func partitionCount(topic: String, timeout: Duration = .seconds(10)) async throws -> Int {
        let topics = try await listTopics(timeout: timeout)
        guard let metadata = topics.first(where: { $0.name == topic }) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, operation: "read metadata of topic \"\(topic)\"")
        }
        if let error = metadata.error {
            throw error
        }
        return metadata.partitionCount
    }

    /// Requests the metadata of all topics.
    private static func fetchMetadata(handle: OpaquePointer, timeout: Duration) throws -> [KafkaTopicMetadata] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(handle, 1, nil, &metadata, timeout.clampedMilliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(code: code, operation: "read cluster metadata")
        }
        defer { rd_kafka_metadata_destroy(metadata) }

        let count = Int(metadata.pointee.topic_cnt)
        guard count > 0, let nativeTopics = metadata.pointee.topics else { return [] }
        return (0..<count).map { index in
            let native = nativeTopics[index]
            let name = String(cString: native.topic)
            let error = native.err == RD_KAFKA_RESP_ERR_NO_ERROR
                ? nil
                : KafkaError(code: native.err, operation: "read metadata of topic \"\(name)\"")
            return KafkaTopicMetadata(name: name, partitionCount: Int(native.partition_cnt), error: error)
        }.sorted { $0.name < $1.name }
    }
}
