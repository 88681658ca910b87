import Foundation

#if canImport(Glibc)
import Glibc
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
/// Linux: no SIGPIPE when the peer has closed; the send fails with EPIPE instead.
private let sendFlags = Int32(MSG_NOSIGNAL)
#elseif canImport(Darwin)
import Darwin
private let streamSocketType = SOCK_STREAM
private let sendFlags: Int32 = 0
#endif

// MARK: - POSIX socket helpers

/// Thin wrappers over the socket calls used by ``MetricsServer``. Each returns or throws the
/// `errno` text instead of crashing.
enum Socket {
    struct SystemError: Error, CustomStringConvertible {
        let call: String
        let code: Int32

        var description: String {
            "\(call) failed: \(String(cString: strerror(code)))"
        }
    }

    /// Opens a listening TCP socket on `host:port`, non-blocking and close-on-exec.
    ///
    /// `host` must be an IPv4 or IPv6 literal or `localhost` (taken as 127.0.0.1), so that
    /// starting the server never sends a DNS query.
    /// - Returns: the socket and the port actually bound, which differs from `port` when it is 0.
    static func openListener(host: String, port: UInt16, backlog: Int32 = 64) throws -> (descriptor: Int32, port: UInt16) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamSocketType
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_NUMERICHOST

        let numericHost = host == "localhost" ? "127.0.0.1" : host
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(numericHost, String(port), &hints, &list)
        guard status == 0 else {
            throw MetricsServerError.listenFailed(host: host, port: port, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }

        var lastError = "no address found for '\(host)'"
        var entry = list
        while let info = entry?.pointee {
            entry = info.ai_next
            let descriptor = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
            guard descriptor >= 0 else {
                lastError = SystemError(call: "socket", code: errno).description
                continue
            }
            var enable: Int32 = 1
            _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &enable, socklen_t(MemoryLayout<Int32>.size))
            guard bind(descriptor, info.ai_addr, info.ai_addrlen) == 0, listen(descriptor, backlog) == 0 else {
                lastError = String(cString: strerror(errno))
                close(descriptor)
                continue
            }
            setCloseOnExec(descriptor)
            setNonBlocking(descriptor)
            return (descriptor, boundPort(of: descriptor) ?? port)
        }
        throw MetricsServerError.listenFailed(host: host, port: port, reason: lastError)
    }

    static func boundPort(of descriptor: Int32) -> UInt16? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard status == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
        default:
            return nil
        }
    }

    static func setNonBlocking(_ descriptor: Int32) {
        let flags = fcntl(descriptor, F_GETFL, 0)
        if flags >= 0 {
            _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        }
    }

    /// Makes an accepted connection non-blocking and close-on-exec, and on Darwin turns off
    /// SIGPIPE, which Linux avoids per call with `MSG_NOSIGNAL`.
    static func prepareConnection(_ descriptor: Int32) {
        setNonBlocking(descriptor)
        setCloseOnExec(descriptor)
        #if canImport(Darwin)
        var enable: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &enable, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    static func setCloseOnExec(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    }

    /// Waits until `descriptor` is readable (`POLLIN`) or writable (`POLLOUT`), or `deadline` passes.
    ///
    /// - Returns: false on timeout or a poll error.
    static func wait(_ descriptor: Int32, for events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            let milliseconds = Int32(clamping: remaining.components.seconds * 1000
                + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            var request = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&request, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { return false }
        }
    }

    /// Sends all of `bytes` before `deadline`.
    ///
    /// - Returns: false when the peer closed the connection, an error occurred or time ran out.
    static func sendAll(_ descriptor: Int32, _ bytes: [UInt8], until deadline: ContinuousClock.Instant) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return send(descriptor, base + offset, buffer.count - offset, sendFlags)
            }
            if sent > 0 {
                offset += sent
                continue
            }
            if sent < 0, errno == EINTR { continue }
            guard sent < 0, errno == EAGAIN || errno == EWOULDBLOCK, wait(descriptor, for: Int16(POLLOUT), until: deadline) else {
                return false
            }
        }
        return true
    }
}
