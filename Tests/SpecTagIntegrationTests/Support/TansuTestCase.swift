import Foundation
import SpecTagKafka
import SpecTagLocalProcess
import XCTest

// MARK: - Test case with a broker

/// Base class of the broker tests: starts a fresh Tansu broker before each test and
/// stops it afterwards.
///
/// Consumers use `session.timeout.ms=2000` and `heartbeat.interval.ms=500`, because Tansu
/// delays a group join for about half the session timeout.
class TansuTestCase: XCTestCase {
    private(set) var broker: TansuBroker?

    override func setUp() async throws {
        try await super.setUp()
        let binary = try IntegrationEnvironment.requireBrokerPrerequisites()
        broker = try TansuBroker(binary: binary)
    }

    /// Stops the broker. Its log is printed and kept when the test failed, and deleted otherwise.
    override func tearDown() async throws {
        if let broker {
            broker.stop()
            if let run = testRun, run.failureCount + run.unexpectedExceptionCount > 0 {
                print("Tansu output (\(broker.logURL.path)):\n\(broker.logTail())")
            } else {
                try? FileManager.default.removeItem(at: broker.logURL)
            }
        }
        broker = nil
        try await super.tearDown()
    }

    var bootstrapServers: [String] {
        broker.map { [$0.bootstrapServers] } ?? []
    }

    /// Returns a topic or group name that no earlier test used.
    func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    // MARK: Clients

    func makeAdmin() throws -> KafkaAdminClient {
        try KafkaAdminClient(configuration: KafkaAdminConfiguration(bootstrapServers: bootstrapServers))
    }

    /// Creates `name` with `partitions` partitions and replication factor 1.
    func createTopic(_ name: String, partitions: Int32 = 1) async throws {
        try await makeAdmin().createTopic(KafkaNewTopic(name: name, partitionCount: partitions, replicationFactor: 1))
    }

    func makeProducer(_ configure: (inout KafkaProducerConfiguration) -> Void = { _ in }) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrapServers)
        configuration.deliveryTimeout = .seconds(30)
        configuration.linger = .milliseconds(1)
        configure(&configuration)
        return try KafkaProducer(configuration: configuration)
    }

    func makeConsumer(
        group: String,
        _ configure: (inout KafkaConsumerConfiguration) -> Void = { _ in }
    ) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, groupID: group)
        configuration.sessionTimeout = .seconds(2)
        configuration.heartbeatInterval = .milliseconds(500)
        configure(&configuration)
        return try KafkaConsumer(configuration: configuration)
    }

    // MARK: Producing and consuming

    /// Sends `values` one after another to `topic` and returns the delivery reports.
    func produce(_ values: [String], to topic: String, producer: KafkaProducer, partition: Int32? = nil)
        async throws -> [KafkaDeliveryReport] {
        var reports: [KafkaDeliveryReport] = []
        for value in values {
            let report = try await withDeadline(seconds: 30, waitingFor: "delivery of \"\(value)\"") {
                try await producer.send(topic: topic, key: Data(value.utf8), value: Data(value.utf8), partition: partition)
            }
            reports.append(report)
        }
        return reports
    }

    /// Reads exactly `count` messages, failing after `seconds`.
    func consume(_ count: Int, from consumer: KafkaConsumer, seconds: Double = 30) async throws
        -> [KafkaConsumerMessage] {
        try await withDeadline(seconds: seconds, waitingFor: "\(count) messages") {
            var received: [KafkaConsumerMessage] = []
            guard count > 0 else { return received }
            for try await message in consumer.messages {
                received.append(message)
                if received.count == count { break }
            }
            return received
        }
    }

    /// Polls for `seconds` and returns every message that arrived.
    func drain(_ consumer: KafkaConsumer, seconds: Double) async throws -> [KafkaConsumerMessage] {
        var received: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if let message = try await consumer.poll(timeout: .milliseconds(100)) {
                received.append(message)
            }
        }
        return received
    }
}

/// Collects the events of a consumer in the background, for tests that check rebalances
/// or statistics.
final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [KafkaConsumerEvent] = []
    private var task: Task<Void, Never>?

    init(_ consumer: KafkaConsumer) {
        task = Task { [weak self] in
            for await event in consumer.events {
                self?.append(event)
            }
        }
    }

    deinit {
        task?.cancel()
    }

    private func append(_ event: KafkaConsumerEvent) {
        lock.lock()
        defer { lock.unlock() }
        recorded.append(event)
    }

    var events: [KafkaConsumerEvent] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// Waits until an event satisfies `predicate`, failing after `seconds`.
    func waitFor(
        _ description: String,
        seconds: Double,
        where predicate: @escaping @Sendable (KafkaConsumerEvent) -> Bool
    ) async throws -> KafkaConsumerEvent {
        try await withDeadline(seconds: seconds, waitingFor: description) { [self] in
            while true {
                if let match = events.first(where: predicate) {
                    return match
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}

/// Polls `consumer` in the background so that it joins its group and serves callbacks,
/// collecting whatever messages arrive. Call ``stop()`` before closing the consumer.
final class BackgroundPoller: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [KafkaConsumerMessage] = []
    private var task: Task<Void, Never>?

    init(_ consumer: KafkaConsumer) {
        task = Task { [weak self] in
            do {
                for try await message in consumer.messages {
                    self?.append(message)
                }
            } catch {
                print("background poll stopped: \(error)")
            }
        }
    }

    private func append(_ message: KafkaConsumerMessage) {
        lock.lock()
        defer { lock.unlock() }
        received.append(message)
    }

    var messages: [KafkaConsumerMessage] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    func stop() async {
        task?.cancel()
        await task?.value
    }
}
