// MARK: - Producer configuration

/// Settings of a ``KafkaProducer``.
///
/// ``librdkafkaProperties()`` turns the typed fields into librdkafka properties and then
/// applies ``additionalProperties`` on top, so pass-through properties win.
public struct KafkaProducerConfiguration: Sendable, CustomStringConvertible {
    /// `acks`: how many replicas must have a message before the broker acknowledges it.
    public enum Acknowledgements: String, Sendable {
        /// All in-sync replicas; required by idempotence and transactions.
        case all
        case leader = "1"
        case none = "0"
    }

    /// `bootstrap.servers` as `host:port` items. Empty leaves the property unset, which is
    /// only useful with `test.mock.num.brokers`.
    public var bootstrapServers: [String]
    /// `client.id`, shown in broker logs and metrics.
    public var clientID: String = "spectag"
    /// `enable.idempotence`: the broker drops duplicates that retries would create and keeps
    /// per-partition order.
    public var enableIdempotence = true
    /// `acks`; must stay `.all` while ``enableIdempotence`` is on.
    public var acknowledgements: Acknowledgements = .all
    /// `message.timeout.ms`: how long librdkafka tries to deliver a message, retries
    /// included, before its delivery report fails with `_MSG_TIMED_OUT`.
    public var deliveryTimeout: Duration = .seconds(300)
    /// `linger.ms`: how long a message may wait for others to fill a batch.
    public var linger: Duration = .milliseconds(5)
    /// `transactional.id`; set it to use the transaction methods. It implies idempotence.
    public var transactionalID: String?
    /// `transaction.timeout.ms`: the broker aborts a transaction that stays open longer.
    /// Only set when ``transactionalID`` is set.
    public var transactionTimeout: Duration = .seconds(60)
    /// Any librdkafka properties, applied last.
    public var additionalProperties = KafkaProperties()

    public init(bootstrapServers: [String]) {
        self.bootstrapServers = bootstrapServers
    }

    /// Returns the complete librdkafka configuration: the typed fields, then
    /// ``additionalProperties``.
    public func librdkafkaProperties() -> KafkaProperties {
        var properties = KafkaProperties()
        if !bootstrapServers.isEmpty {
            properties["bootstrap.servers"] = bootstrapServers.joined(separator: ",")
        }
        properties["client.id"] = clientID
        properties["enable.idempotence"] = enableIdempotence ? "true" : "false"
        properties["acks"] = acknowledgements.rawValue
        properties["message.timeout.ms"] = String(deliveryTimeout.clampedMilliseconds)
        properties["linger.ms"] = String(linger.clampedMilliseconds)
        if let transactionalID {
            properties["transactional.id"] = transactionalID
            properties["transaction.timeout.ms"] = String(transactionTimeout.clampedMilliseconds)
        }
        return properties.merging(additionalProperties)
    }

    /// The configuration as `key=value` lines, with secret values redacted.
    public var description: String {
        librdkafkaProperties().description
    }
}
