import Foundation
#if canImport(Glibc)
import Glibc
#endif

// MARK: - HTTP to 127.0.0.1

/// `GET` requests to the instances' metrics servers on 127.0.0.1, over a plain socket.
enum LoopbackHTTP {
    struct Response {
        var status: Int
        var body: String
    }

    /// Sends `GET path` with `Connection: close` and reads until the server closes.
    ///
    /// - Throws: `CLIError` when the connection fails, times out after 5 s or the response has
    ///   no valid status line.
    static func get(_ path: String, port: UInt16) throws -> Response {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CLIError("socket() failed: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            throw CLIError("connecting to 127.0.0.1:\(port) failed: \(String(cString: strerror(errno)))")
        }

        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else {
            throw CLIError("sending to 127.0.0.1:\(port) failed: \(String(cString: strerror(errno)))")
        }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }

        let text = String(decoding: data, as: UTF8.self)
        guard let headerEnd = text.range(of: "\r\n\r\n") else {
            throw CLIError("incomplete HTTP response from 127.0.0.1:\(port)\(path)")
        }
        let statusLine = text[..<headerEnd.lowerBound].prefix { $0 != "\r" }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw CLIError("invalid HTTP status line \"\(statusLine)\" from 127.0.0.1:\(port)\(path)")
        }
        return Response(status: status, body: String(text[headerEnd.upperBound...]))
    }

    /// Binds port 0 on 127.0.0.1 and returns the port the kernel chose.
    ///
    /// NOTE: the port is free again before the instance binds it, so another process could
    /// take it in between; the instance then exits with "Address already in use".
    static func freePort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CLIError("socket() failed: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(descriptor, $0, &length)
            }
        }
        guard bound == 0, named == 0 else {
            throw CLIError("finding a free port on 127.0.0.1 failed: \(String(cString: strerror(errno)))")
        }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func loopbackAddress(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

// MARK: - Prometheus text format

/// Reads sample values from the Prometheus text exposition format that `/metrics` serves.
enum PrometheusSamples {
    /// Returns the sum of the samples of `name` whose labels include `labels`, 0 when none does.
    ///
    /// NOTE: label values containing `,` or `}` are not parsed; spectag's topic and direction
    /// labels never contain them.
    static func sum(of name: String, labels: [String: String], in text: String) -> Double {
        var total = 0.0
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let rest = line.dropFirst(name.count)
            var sampleLabels: [String: String] = [:]
            var valueText = rest
            if rest.first == "{", let close = rest.firstIndex(of: "}") {
                for pair in rest[rest.index(after: rest.startIndex)..<close].split(separator: ",") {
                    let keyValue = pair.split(separator: "=", maxSplits: 1)
                    guard keyValue.count == 2 else { continue }
                    sampleLabels[String(keyValue[0])] = keyValue[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
                valueText = rest[rest.index(after: close)...]
            } else if rest.first != " " {
                continue
            }
            guard labels.allSatisfy({ sampleLabels[$0.key] == $0.value }),
                  let value = valueText.split(separator: " ").first.flatMap({ Double($0) }) else { continue }
            total += value
        }
        return total
    }
}
