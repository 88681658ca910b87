import Foundation
import SpecTagLocalProcess
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class LoopbackTests: XCTestCase {
    func testFreePortCanBeBound() throws {
        let port = try LoopbackPort.free()
        XCTAssertGreaterThan(port, 0)

        let server = try ListeningSocket(port: port)
        defer { server.close() }
        XCTAssertTrue(LoopbackPort.acceptsConnection(port: port))
    }

    func testClosedPortRejectsConnection() throws {
        let port = try LoopbackPort.free()
        XCTAssertFalse(LoopbackPort.acceptsConnection(port: port))
    }

    func testGetReadsStatusAndBody() throws {
        let port = try LoopbackPort.free()
        let server = try ListeningSocket(port: port)
        defer { server.close() }
        let request = RequestBox()
        let thread = Thread {
            request.text = server.answerOnce("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 9\r\n\r\nnot ready")
            request.done.signal()
        }
        thread.start()

        let response = try LoopbackHTTP.get("/readyz", port: port)

        XCTAssertEqual(response.status, 503)
        XCTAssertEqual(response.body, "not ready")
        request.done.wait()
        XCTAssertTrue(request.text.hasPrefix("GET /readyz HTTP/1.1\r\n"), request.text)
    }

    func testGetRejectsResponseWithoutHeaderEnd() throws {
        let port = try LoopbackPort.free()
        let server = try ListeningSocket(port: port)
        defer { server.close() }
        let thread = Thread { _ = server.answerOnce("garbage") }
        thread.start()

        XCTAssertThrowsError(try LoopbackHTTP.get("/metrics", port: port)) { error in
            XCTAssertEqual(String(describing: error), "incomplete HTTP response from 127.0.0.1:\(port)/metrics")
        }
    }

    func testGetToClosedPortThrows() throws {
        let port = try LoopbackPort.free()
        XCTAssertThrowsError(try LoopbackHTTP.get("/metrics", port: port)) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("connecting to 127.0.0.1:\(port) failed: "), "\(error)")
        }
    }
}

/// The request text that the server thread read, handed to the test thread.
private final class RequestBox: @unchecked Sendable {
    var text = ""
    let done = DispatchSemaphore(value: 0)
}

/// A TCP socket listening on 127.0.0.1, serving one canned response.
private final class ListeningSocket: @unchecked Sendable {
    private let descriptor: Int32

    init(port: UInt16) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 1) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw LocalProcessError("binding 127.0.0.1:\(port) failed: \(reason)")
        }
    }

    /// Accepts one connection, reads the request head, writes `response`, closes the
    /// connection, and returns the request.
    func answerOnce(_ response: String) -> String {
        let connection = accept(descriptor, nil, nil)
        guard connection >= 0 else { return "" }
        defer { Glibc.close(connection) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        let bytes = Array(response.utf8)
        _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return String(decoding: received, as: UTF8.self)
    }

    func close() {
        Glibc.close(descriptor)
    }
}

final class PrometheusSamplesTests: XCTestCase {
    private let exposition = """
        # HELP spectag_messages_total Messages by topic and direction.
        # TYPE spectag_messages_total counter
        spectag_messages_total{topic="news",direction="in"} 7
        spectag_messages_total{topic="news",direction="out"} 5
        spectag_messages_total{topic="other",direction="in"} 3
        spectag_messages_total_created 1700000000
        spectag_ready 1

        """

    func testSumsMatchingSamples() {
        XCTAssertEqual(PrometheusSamples.sum(of: "spectag_messages_total", labels: ["direction": "in"], in: exposition), 10)
        XCTAssertEqual(PrometheusSamples.sum(of: "spectag_messages_total", labels: ["topic": "news", "direction": "out"], in: exposition), 5)
        XCTAssertEqual(PrometheusSamples.sum(of: "spectag_messages_total", labels: [:], in: exposition), 15)
    }

    func testUnlabelledSampleAndMissingMetric() {
        XCTAssertEqual(PrometheusSamples.sum(of: "spectag_ready", labels: [:], in: exposition), 1)
        XCTAssertEqual(PrometheusSamples.sum(of: "spectag_missing", labels: [:], in: exposition), 0)
        XCTAssertEqual(PrometheusSamples.sum(of: "spectag_ready", labels: ["topic": "news"], in: exposition), 0)
    }
}
