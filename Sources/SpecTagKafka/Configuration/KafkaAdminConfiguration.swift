// MARK: - Admin configuration

/// Settings of a ``KafkaAdminClient``.
public struct KafkaAdminConfiguration: Sendable, CustomStringConvertible {
    /// `bootstrap.servers` as `host:port` items.
    public var bootstrapServers: [String]
    /// `client.id`, shown in broker logs and metrics.
    public var clientID: String = "spectag-admin"
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
        return properties.merging(additionalProperties)
    }

    /// The configuration as `key=value` lines, with secret values redacted.
    public var description: String {
        librdkafkaProperties().description
    }
}
