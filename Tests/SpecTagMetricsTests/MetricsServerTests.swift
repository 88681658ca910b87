import Foundation
import SpecTagLogging
import XCTest

@testable import SpecTagMetrics

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

final class MetricsServerTests: XCTestCase {
    private var server: MetricsServer?
    private let readiness = ReadinessFlag(.notReady("loading model"))
    private let registry = MetricsRegistry()
    private let logs = RecordingLogHandler()

    override func tearDown() {
        server?.stop()
        server = nil
        super.tearDown()
    }

    /// Starts a server on 127.0.0.1 with a kernel-assigned port and returns the port.
    private func startServer(
        requestTimeout: Duration = .seconds(5),
        maxRequestBytes: Int = 8192,
        maxConnections: Int = 16
    ) throws -> UInt16 {
        let configuration = MetricsServerConfiguration(
            host: "127.0.0.1", port: 0, maxRequestBytes: maxRequestBytes, requestTimeout: requestTimeout,
            maxConnections: maxConnections
        )
        let server = MetricsServer(
            registry: registry,
            configuration: configuration,
            readiness: readiness.current,
            logger: Logger(label: "test.metrics", handler: logs)
        )
        try server.start()
        self.server = server
        return try XCTUnwrap(server.port)
    }

    // MARK: Endpoints

    func testMetricsEndpointServesRegistry() throws {
        try registry.counter("messages_total", help: "Messages.", labels: ["topic": "news"]).increment(by: 7)
        let port = try startServer()

        let response = try RawHTTPClient.exchange("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", port: port)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8")
        XCTAssertEqual(response.headers["connection"], "close")
        XCTAssertEqual(response.headers["content-length"], String(response.body.utf8.count))
        XCTAssertEqual(response.body, registry.render())
        XCTAssertTrue(response.body.contains("messages_total{topic=\"news\"} 7\n"), response.body)
    }

    func testMetricsEndpointIgnoresQueryString() throws {
        let port = try startServer()
        XCTAssertEqual(try RawHTTPClient.exchange("GET /metrics?name[]=x HTTP/1.0\r\n\r\n", port: port).status, 200)
    }

    func testHealthzAnswersOK() throws {
        let port = try startServer()
        let response = try RawHTTPClient.exchange("GET /healthz HTTP/1.1\r\n\r\n", port: port)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, "ok\n")
    }

    func testReadyzFollowsReadinessFlag() throws {
        let port = try startServer()

        let notReady = try RawHTTPClient.exchange("GET /readyz HTTP/1.1\r\n\r\n", port: port)
        XCTAssertEqual(notReady.status, 503)
        XCTAssertEqual(notReady.body, "not ready: loading model\n")

        readiness.markReady()
        let ready = try RawHTTPClient.exchange("GET /readyz HTTP/1.1\r\n\r\n", port: port)
        XCTAssertEqual(ready.status, 200)
        XCTAssertEqual(ready.body, "ready\n")

        readiness.markNotReady("consumer lost its partitions")
        let lost = try RawHTTPClient.exchange("GET /readyz HTTP/1.1\r\n\r\n", port: port)
        XCTAssertEqual(lost.status, 503)
        XCTAssertEqual(lost.body, "not ready: consumer lost its partitions\n")
    }

    func testUnknownPathIs404() throws {
        let port = try startServer()
        let response = try RawHTTPClient.exchange("GET /metricz HTTP/1.1\r\n\r\n", port: port)
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(try RawHTTPClient.exchange("POST /other HTTP/1.1\r\n\r\n", port: port).status, 404)
    }

    func testOtherMethodIs405WithAllowHeader() throws {
        let port = try startServer()
        // The body is left unread by the server; the response must still arrive intact.
        let body = String(repeating: "x", count: 20_000)
        let request = "POST /metrics HTTP/1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let response = try RawHTTPClient.exchange(request, port: port)
        XCTAssertEqual(response.status, 405)
        XCTAssertEqual(response.headers["allow"], "GET, HEAD")
        XCTAssertEqual(response.body, "method not allowed\n")
        XCTAssertEqual(try RawHTTPClient.exchange("DELETE /healthz HTTP/1.1\r\n\r\n", port: port).status, 405)
    }

    func testHeadHasHeadersButNoBody() throws {
        try registry.gauge("g", help: "g").set(1)
        let port = try startServer()
        let response = try RawHTTPClient.exchange("HEAD /metrics HTTP/1.1\r\n\r\n", port: port)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, "")
        XCTAssertEqual(response.headers["content-length"], String(registry.render().utf8.count))
    }

    // MARK: Bad input

    func testGarbageGets400AndServerKeepsServing() throws {
        let port = try startServer()
        let garbage: [[UInt8]] = [
            [0x00, 0xFF, 0xFE, 0x13, 0x37] + Array("\r\n\r\n".utf8),
            Array("GET\r\n\r\n".utf8),
            Array("GET /metrics HTTP/2.0\r\n\r\n".utf8),
            Array("get /metrics HTTP/1.1\r\n\r\n".utf8),
            Array("GET metrics HTTP/1.1\r\n\r\n".utf8),
            Array("GET  /metrics HTTP/1.1\r\n\r\n".utf8),
            Array("\u{16}\u{03}\u{01}\u{02}\u{00}\n\n".utf8),
        ]
        for request in garbage {
            let response = try RawHTTPClient.exchange(request, port: port)
            XCTAssertEqual(response.status, 400, "request \(request)")
        }
        XCTAssertEqual(try RawHTTPClient.exchange("GET /healthz HTTP/1.1\r\n\r\n", port: port).status, 200)
    }

    func testClientThatClosesEarlyDoesNotStopServer() throws {
        let port = try startServer()
        let silent = try RawHTTPClient.connect(port: port)
        close(silent)
        let partial = try RawHTTPClient.connect(port: port)
        try RawHTTPClient.sendAll(partial, Array("GET /met".utf8))
        close(partial)

        XCTAssertEqual(try RawHTTPClient.exchange("GET /healthz HTTP/1.1\r\n\r\n", port: port).status, 200)
    }

    func testOversizedRequestGets431() throws {
        let port = try startServer(maxRequestBytes: 1024)
        let request = "GET /metrics HTTP/1.1\r\nX-Padding: " + String(repeating: "a", count: 4000) + "\r\n\r\n"
        let response = try RawHTTPClient.exchange(request, port: port)
        XCTAssertEqual(response.status, 431)
        XCTAssertEqual(try RawHTTPClient.exchange("GET /healthz HTTP/1.1\r\n\r\n", port: port).status, 200)
    }

    func testSlowClientGets408() throws {
        let port = try startServer(requestTimeout: .milliseconds(300))
        let descriptor = try RawHTTPClient.connect(port: port)
        defer { close(descriptor) }
        try RawHTTPClient.sendAll(descriptor, Array("GET /metrics HTTP/1.1\r\n".utf8))
        let response = try RawHTTPClient.readResponse(descriptor)
        XCTAssertEqual(response.status, 408)
    }

    func testRandomBytesNeverStopServer() throws {
        let port = try startServer(requestTimeout: .milliseconds(100), maxRequestBytes: 512)
        var generator = SplitMix64(seed: 20_261_204)
        for _ in 0..<100 {
            let length = Int(generator.next() % 1500)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if generator.next() % 2 == 0 {
                bytes += Array("\r\n\r\n".utf8)
            }
            let descriptor = try RawHTTPClient.connect(port: port)
            try? RawHTTPClient.sendAll(descriptor, bytes)
            shutdown(descriptor, Int32(SHUT_WR))
            // Whatever comes back (400, 404, 431 or nothing), only the server's survival matters here.
            _ = try? RawHTTPClient.readResponse(descriptor)
            close(descriptor)
        }
        XCTAssertEqual(try RawHTTPClient.exchange("GET /healthz HTTP/1.1\r\n\r\n", port: port).status, 200)
    }

    func testConnectionLimitAnswers503() throws {
        let port = try startServer(requestTimeout: .seconds(2), maxConnections: 1)
        let idle = try RawHTTPClient.connect(port: port)
        defer { close(idle) }
        // The idle connection occupies the only slot until its request times out.
        Thread.sleep(forTimeInterval: 0.2)

        let rejected = try RawHTTPClient.exchange("GET /healthz HTTP/1.1\r\n\r\n", port: port)
        XCTAssertEqual(rejected.status, 503)
        XCTAssertEqual(rejected.body, "too many connections\n")
    }

    // MARK: Lifecycle

    func testStopClosesListenerAndIsIdempotent() throws {
        let port = try startServer()
        let server = try XCTUnwrap(self.server)
        server.stop()
        server.stop()

        XCTAssertNil(server.port)
        XCTAssertThrowsError(try RawHTTPClient.connect(port: port))
        let messages = logs.messages
        XCTAssertEqual(messages.filter { $0 == "metrics server started" }.count, 1)
        XCTAssertEqual(messages.filter { $0 == "metrics server stopped" }.count, 1)
    }

    func testStartTwiceThrows() throws {
        _ = try startServer()
        XCTAssertThrowsError(try server?.start()) { error in
            XCTAssertEqual(error as? MetricsServerError, .alreadyStarted)
        }
    }

    func testPortInUseThrowsListenFailed() throws {
        let port = try startServer()
        let second = MetricsServer(
            registry: registry,
            configuration: MetricsServerConfiguration(host: "127.0.0.1", port: port),
            logger: Logger(label: "test.metrics", handler: logs)
        )
        XCTAssertThrowsError(try second.start()) { error in
            guard case .listenFailed(let host, let failedPort, _) = error as? MetricsServerError else {
                XCTFail("expected listenFailed, got \(error)")
                return
            }
            XCTAssertEqual(host, "127.0.0.1")
            XCTAssertEqual(failedPort, port)
        }
    }

    func testServerRestartsAfterStop() throws {
        _ = try startServer()
        let server = try XCTUnwrap(self.server)
        server.stop()
        try server.start()
        let port = try XCTUnwrap(server.port)
        XCTAssertEqual(try RawHTTPClient.exchange("GET /healthz HTTP/1.1\r\n\r\n", port: port).status, 200)
    }

    // MARK: A real HTTP client

    func testURLSessionFetchesMetrics() throws {
        try registry.counter("scrapes_total", help: "Scrapes.").increment()
        let port = try startServer()
        let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)/metrics"))

        let done = expectation(description: "response")
        nonisolated(unsafe) var status: Int?
        nonisolated(unsafe) var body: String?
        let task = URLSession.shared.dataTask(with: url) { data, response, error in
            XCTAssertNil(error)
            status = (response as? HTTPURLResponse)?.statusCode
            body = data.map { String(decoding: $0, as: UTF8.self) }
            done.fulfill()
        }
        task.resume()
        wait(for: [done], timeout: 10)

        XCTAssertEqual(status, 200)
        XCTAssertEqual(body, registry.render())
    }
}

final class MetricsServerConfigurationTests: XCTestCase {
    func testAddressParsing() throws {
        let ipv4 = try MetricsServerConfiguration(address: "0.0.0.0:9100")
        XCTAssertEqual(ipv4.host, "0.0.0.0")
        XCTAssertEqual(ipv4.port, 9100)

        let ipv6 = try MetricsServerConfiguration(address: "[::1]:0")
        XCTAssertEqual(ipv6.host, "::1")
        XCTAssertEqual(ipv6.port, 0)

        let portOnly = try MetricsServerConfiguration(address: ":9464")
        XCTAssertEqual(portOnly.host, "127.0.0.1")
        XCTAssertEqual(portOnly.port, 9464)
    }

    func testInvalidAddressesThrow() {
        let cases = [
            ("localhost", "invalid metrics address 'localhost': expected host:port"),
            ("127.0.0.1:99999", "invalid metrics address '127.0.0.1:99999': port '99999' is not a number from 0 to 65535"),
            ("127.0.0.1:", "invalid metrics address '127.0.0.1:': port '' is not a number from 0 to 65535"),
            ("::1:9464", "invalid metrics address '::1:9464': write an IPv6 address in brackets, as [::1]:9464"),
            ("[::1]9464", "invalid metrics address '[::1]9464': expected [address]:port for IPv6"),
        ]
        for (address, message) in cases {
            XCTAssertThrowsError(try MetricsServerConfiguration(address: address), address) { error in
                XCTAssertEqual(String(describing: error), message)
            }
        }
    }

    func testNonNumericHostFailsToStart() {
        // Host names other than localhost are rejected before any DNS lookup.
        for host in ["256.1.1.1", "metrics.example"] {
            let server = MetricsServer(
                registry: MetricsRegistry(),
                configuration: MetricsServerConfiguration(host: host, port: 0),
                logger: Logger(label: "test", handler: RecordingLogHandler())
            )
            XCTAssertThrowsError(try server.start(), host) { error in
                guard case .listenFailed(let failedHost, _, _) = error as? MetricsServerError else {
                    XCTFail("expected listenFailed for \(host), got \(error)")
                    return
                }
                XCTAssertEqual(failedHost, host)
            }
            XCTAssertNil(server.port)
        }
    }

    func testLocalhostBindsLoopback() throws {
        let server = MetricsServer(
            registry: MetricsRegistry(),
            configuration: MetricsServerConfiguration(host: "localhost", port: 0),
            logger: Logger(label: "test", handler: RecordingLogHandler())
        )
        try server.start()
        defer { server.stop() }
        let port = try XCTUnwrap(server.port)
        XCTAssertEqual(try RawHTTPClient.exchange("GET /healthz HTTP/1.1\r\n\r\n", port: port).status, 200)
    }
}

/// A small seeded generator (SplitMix64), so that the random-input test is reproducible.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
