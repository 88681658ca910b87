import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `GET` requests to an HTTP server on 127.0.0.1 over a plain socket, for reading the
/// `/metrics`, `/healthz` and `/readyz` endpoints of a local `spectag serve`.
public enum LoopbackHTTP {
    public struct Response {
        public var status: Int
        /// The body as UTF-8, invalid sequences replaced. Chunked transfer encoding is not
        /// decoded, because the servers this is used with send plain bodies.
        public var body: String
    }

    /// Sends `GET path` with `Connection: close` and reads until the server closes the
    /// connection.
    ///
    /// - Throws: ``LocalProcessError`` when the connection fails, when a read waits more than
    ///   5 s for data, or when the response has no header end or no valid status line.
    public static func get(_ path: String, port: UInt16) throws -> Response {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LocalProcessError("socket() failed: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard LoopbackPort.connect(descriptor, port: port) == 0 else {
            throw LocalProcessError("connecting to 127.0.0.1:\(port) failed: \(String(cString: strerror(errno)))")
        }

        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else {
            throw LocalProcessError("sending to 127.0.0.1:\(port) failed: \(String(cString: strerror(errno)))")
        }
        let text = String(decoding: readUntilClosed(descriptor), as: UTF8.self)
        return try parse(text, from: "127.0.0.1:\(port)\(path)")
    }

    /// Reads until the peer closes the connection, or a read fails or times out; returns what
    /// arrived until then.
    private static func readUntilClosed(_ descriptor: Int32) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }

    private static func parse(_ text: String, from source: String) throws -> Response {
        guard let headerEnd = text.range(of: "\r\n\r\n") else {
            throw LocalProcessError("incomplete HTTP response from \(source)")
        }
        let statusLine = text[..<headerEnd.lowerBound].prefix { $0 != "\r" }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw LocalProcessError("invalid HTTP status line \"\(statusLine)\" from \(source)")
        }
        return Response(status: status, body: String(text[headerEnd.upperBound...]))
    }
}
