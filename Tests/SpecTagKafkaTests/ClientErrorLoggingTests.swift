import Foundation
import SpecTagKafka
import SpecTagLogging
import XCTest

/// A client whose broker does not listen: librdkafka retries the connection many times a
/// second, and each retry must not become a log line.
final class ClientErrorLoggingTests: XCTestCase {
    override func tearDown() {
        LoggingSystem.bootstrap(level: .info, format: .json)
        super.tearDown()
    }

    func testUnreachableBrokerErrorsAreRateLimited() async throws {
        let recorder = RecordingLogHandler()
        LoggingSystem.bootstrap(handler: recorder, level: .warning)
        var configuration = KafkaProducerConfiguration(bootstrapServers: ["127.0.0.1:\(try Self.closedPort())"])
        configuration.clientID = "unreachable-\(UUID().uuidString.prefix(8))"
        configuration.additionalProperties["reconnect.backoff.ms"] = "10"
        configuration.additionalProperties["reconnect.backoff.max.ms"] = "20"
        let producer = try KafkaProducer(configuration: configuration)

        try await Task.sleep(for: .seconds(2))
        await producer.close(timeout: .milliseconds(100))

        let lines = recorder.entries.filter { entry in
            if case .string(let client) = entry.metadata["client"] { return client.hasPrefix(configuration.clientID) }
            return false
        }
        XCTAssertFalse(lines.isEmpty, "the refused connection was never logged")
        // About 100 refused connections in 2 s; at most one line per librdkafka facility and
        // per error code gets through in 10 s.
        XCTAssertLessThanOrEqual(lines.count, 6, lines.map(\.message).joined(separator: "\n"))
    }

    /// Returns a loopback port that nothing listens on: bound once to learn it, then closed.
    private static func closedPort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw NSError(domain: "ClientErrorLoggingTests", code: 1) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
