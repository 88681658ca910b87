import Foundation

// MARK: - Request head

/// The parts of an HTTP/1.x request line that routing needs.
struct HTTPRequestHead: Equatable {
    var method: String
    /// Path of the request target without query or fragment, such as `/metrics`.
    var path: String

    init(method: String, path: String) {
        self.method = method
        self.path = path
    }

    /// Parses the request line of `head` (the bytes before the blank line).
    ///
    /// - Returns: nil for anything that is not `METHOD SP target SP HTTP/1.x`.
    init?(parsing head: [UInt8]) {
        let lineEnd = head.firstIndex(of: UInt8(ascii: "\n")) ?? head.endIndex
        var line = head[..<lineEnd]
        if line.last == UInt8(ascii: "\r") {
            line = line.dropLast()
        }
        guard let text = String(validating: line, as: UTF8.self) else { return nil }

        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        let method = parts[0]
        let target = parts[1]
        guard !method.isEmpty, method.allSatisfy({ $0.isASCII && $0.isUppercase }),
              parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0"
        else { return nil }

        var path = target
        if path.hasPrefix("http://") || path.hasPrefix("https://") {
            // Absolute form, as sent to proxies: keep only the path.
            let afterScheme = path[path.index(path.firstIndex(of: ":") ?? path.startIndex, offsetBy: 3)...]
            path = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        }
        guard path.hasPrefix("/") else { return nil }
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            path = path[..<end]
        }
        self.method = String(method)
        self.path = String(path)
    }
}

// MARK: - Response

struct HTTPResponse: Equatable {
    var status: Int
    var reason: String
    var contentType = "text/plain; charset=utf-8"
    var body: String
    var extraHeaders: [(String, String)] = []

    static func == (left: HTTPResponse, right: HTTPResponse) -> Bool {
        left.status == right.status && left.body == right.body && left.contentType == right.contentType
    }

    /// Serializes the response; a HEAD response has the headers of the GET response and no body.
    func serialized(includeBody: Bool) -> [UInt8] {
        let bodyBytes = Array(body.utf8)
        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        head += "Content-Type: \(contentType)\r\n"
        head += "Content-Length: \(bodyBytes.count)\r\n"
        head += "Connection: close\r\n"
        for (name, value) in extraHeaders {
            head += "\(name): \(value)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + (includeBody ? bodyBytes : [])
    }

    static func text(_ status: Int, _ reason: String, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, reason: reason, body: body)
    }

    static let badRequest = text(400, "Bad Request", "bad request\n")
    static let notFound = text(404, "Not Found", "not found\n")
    static let requestTimeout = text(408, "Request Timeout", "request timeout\n")
    static let headersTooLarge = text(431, "Request Header Fields Too Large", "request header fields too large\n")
    static let busy = text(503, "Service Unavailable", "too many connections\n")

    static let methodNotAllowed = HTTPResponse(
        status: 405, reason: "Method Not Allowed", body: "method not allowed\n", extraHeaders: [("Allow", "GET, HEAD")]
    )
}

// MARK: - Reading the request head

enum RequestHeadResult: Equatable {
    case head([UInt8])
    case tooLarge
    case timedOut
    /// The client closed the connection or a read failed before the head was complete.
    case closed(receivedBytes: Int)
}

/// Reads from `descriptor` until the blank line that ends the request head.
///
/// Stops at `maxBytes` (431), at `deadline` (408) and when the client closes the connection.
/// Bytes after the blank line, such as a request body, are left unread.
func readRequestHead(_ descriptor: Int32, maxBytes: Int, until deadline: ContinuousClock.Instant) -> RequestHeadResult {
    var buffer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1024)
    while true {
        if let end = endOfHead(in: buffer) {
            return .head(Array(buffer[..<end]))
        }
        if buffer.count > maxBytes {
            return .tooLarge
        }
        guard Socket.wait(descriptor, for: Int16(POLLIN), until: deadline) else {
            return .timedOut
        }
        let count = recv(descriptor, &chunk, min(chunk.count, maxBytes + 4 - buffer.count), 0)
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
        } else if count == 0 {
            return .closed(receivedBytes: buffer.count)
        } else if errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK {
            return .closed(receivedBytes: buffer.count)
        }
    }
}

/// Index of the first byte after the request head's last header line, accepting `\r\n\r\n` and `\n\n`.
private func endOfHead(in buffer: [UInt8]) -> Int? {
    let newline = UInt8(ascii: "\n")
    var index = buffer.startIndex
    while let found = buffer[index...].firstIndex(of: newline) {
        let next = found + 1
        if next < buffer.count, buffer[next] == newline {
            return found
        }
        if next + 1 < buffer.count, buffer[next] == UInt8(ascii: "\r"), buffer[next + 1] == newline {
            return found
        }
        index = next
    }
    return nil
}
