import SpecTagKafka

// MARK: - Errors

/// A failure that stops the alert stage.
public enum AlertStageError: Error, Sendable, CustomStringConvertible {
    /// ``AlertStage/run()`` was called a second time.
    case alreadyStarted
    /// The entity-sentiment topic does not exist.
    case inputTopicNotFound(topic: String, brokers: [String])
    /// The changelog topic has fewer partitions than the input topic, so some entities'
    /// state would have no partition.
    case changelogTooSmall(changelog: String, changelogPartitions: Int, input: String, inputPartitions: Int)
    /// Restoring state did not finish in time.
    case restoreTimedOut(topic: String, partitions: [Int32], timeout: AlertDuration)
    /// An alert, dead letter or changelog record could not be delivered.
    case deliveryFailed(topic: String, key: String, underlying: KafkaError)

    public var description: String {
        switch self {
        case .alreadyStarted:
            return "the alert stage is already running or has run; create a new AlertStage to start again"
        case let .inputTopicNotFound(topic, brokers):
            return "entity-sentiment topic \"\(topic)\" not found on \(brokers.joined(separator: ",")); create it, or start the tagging service first"
        case let .changelogTooSmall(changelog, changelogPartitions, input, inputPartitions):
            return "changelog topic \"\(changelog)\" has \(changelogPartitions) partitions but input topic \"\(input)\" has \(inputPartitions); "
                + "add partitions to the changelog topic (kafka-topics --alter --partitions \(inputPartitions))"
        case let .restoreTimedOut(topic, partitions, timeout):
            let list = partitions.map(String.init).joined(separator: ",")
            return "restoring entity state from \"\(topic)\" partitions \(list) timed out after \(timeout); raise restore_timeout or check the broker"
        case let .deliveryFailed(topic, key, underlying):
            return "delivery to \"\(topic)\" (key \"\(key)\") failed: \(underlying)"
        }
    }
}
