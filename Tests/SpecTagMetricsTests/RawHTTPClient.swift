import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
import Darwin
private let streamSocketType = SOCK_STREAM
#endif

/// A response as read from the socket.
struct RawResponse {
    var statusLine: String
    var headers: [String: String]
    var body: String

    var status: Int? {
        let parts = statusLine.split(separator: " ")
        return parts.count >= 2 ? Int(parts[1]) : nil
    }
}

struct RawClientError: Error, CustomStringConvertible {
    var description: String
}

/// A minimal HTTP client on a raw TCP socket to 127.0.0.1, so tests can send malformed requests.
enum RawHTTPClient {
    /// Connects to 127.0.0.1:`port`, or throws with the errno text (such as connection refused).
    static func connect(port: UInt16) throws -> Int32 {
        let descriptor = socket(AF_INET, streamSocketType, 0)
        guard descriptor >= 0 else {
            throw RawClientError(description: "socket() failed: \(String(cString: strerror(errno)))")
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw RawClientError(description: "connect to 127.0.0.1:\(port) failed: \(reason)")
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }

    /// Sends `request` as is, reads until the server closes the connection and parses the response.
    static func exchange(_ request: String, port: UInt16) throws -> RawResponse {
        try exchange(Array(request.utf8), port: port)
    }

    static func exchange(_ request: [UInt8], port: UInt16) throws -> RawResponse {
        let descriptor = try connect(port: port)
        defer { close(descriptor) }
        try sendAll(descriptor, request)
        return try readResponse(descriptor)
    }

    static func sendAll(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else {
                throw RawClientError(description: "send failed: \(String(cString: strerror(errno)))")
            }
            offset += sent
        }
    }

    /// Reads until end of stream (or a 10 s receive timeout) and splits status line, headers and body.
    static func readResponse(_ descriptor: Int32) throws -> RawResponse {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count <= 0 { break }
            data.append(contentsOf: chunk[0..<count])
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else {
            throw RawClientError(description: "no complete response head in \(text.debugDescription)")
        }
        let headLines = text[..<headEnd.lowerBound].components(separatedBy: "\r\n")
        var headers: [String: String] = [:]
        for line in headLines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return RawResponse(statusLine: headLines.first ?? "", headers: headers, body: String(text[headEnd.upperBound...]))
    }
}
