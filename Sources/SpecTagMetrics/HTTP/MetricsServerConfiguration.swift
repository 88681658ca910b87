// MARK: - Server configuration

/// Address and limits of a ``MetricsServer``.
public struct MetricsServerConfiguration: Sendable, Equatable {
    /// IP address to bind, such as `127.0.0.1`, `0.0.0.0` or `::1`, or `localhost` for 127.0.0.1.
    /// Other host names are rejected when the server starts, so that it never needs DNS.
    public var host: String
    /// TCP port. With 0 the kernel picks a free port, which ``MetricsServer/port`` then reports.
    public var port: UInt16
    /// Maximum size of the request line and headers in bytes. A larger request gets 431.
    public var maxRequestBytes: Int
    /// Maximum time for a client to send its request and to accept the response.
    public var requestTimeout: Duration
    /// Maximum number of connections handled at once. Further clients get 503 at once.
    public var maxConnections: Int

    /// Port that spectag serves metrics on unless configured otherwise.
    public static let defaultPort: UInt16 = 9464

    public init(
        host: String = "127.0.0.1",
        port: UInt16 = MetricsServerConfiguration.defaultPort,
        maxRequestBytes: Int = 8192,
        requestTimeout: Duration = .seconds(5),
        maxConnections: Int = 16
    ) {
        self.host = host
        self.port = port
        self.maxRequestBytes = maxRequestBytes
        self.requestTimeout = requestTimeout
        self.maxConnections = maxConnections
    }

    /// Parses `host:port`, `[ipv6]:port` or `:port` (which binds 127.0.0.1), keeping the other settings.
    ///
    /// - Throws: ``MetricsServerError/invalidAddress(_:reason:)`` naming the text and the problem.
    public init(address: String) throws {
        self.init()
        let hostPart: Substring
        let portPart: Substring
        if address.hasPrefix("[") {
            guard let closing = address.firstIndex(of: "]"),
                  address[address.index(after: closing)...].hasPrefix(":")
            else {
                throw MetricsServerError.invalidAddress(address, reason: "expected [address]:port for IPv6")
            }
            hostPart = address[address.index(after: address.startIndex)..<closing]
            portPart = address[address.index(closing, offsetBy: 2)...]
        } else {
            guard let colon = address.lastIndex(of: ":") else {
                throw MetricsServerError.invalidAddress(address, reason: "expected host:port")
            }
            hostPart = address[..<colon]
            portPart = address[address.index(after: colon)...]
            if hostPart.contains(":") {
                throw MetricsServerError.invalidAddress(address, reason: "write an IPv6 address in brackets, as [::1]:9464")
            }
        }
        guard let port = UInt16(portPart) else {
            throw MetricsServerError.invalidAddress(address, reason: "port '\(portPart)' is not a number from 0 to 65535")
        }
        self.host = hostPart.isEmpty ? "127.0.0.1" : String(hostPart)
        self.port = port
    }
}

/// A failure to start the metrics server.
public enum MetricsServerError: Error, Equatable, CustomStringConvertible {
    case invalidAddress(String, reason: String)
    /// Binding or listening failed, with the system's error text (`Address already in use`).
    case listenFailed(host: String, port: UInt16, reason: String)
    case alreadyStarted

    public var description: String {
        switch self {
        case .invalidAddress(let address, let reason):
            "invalid metrics address '\(address)': \(reason)"
        case .listenFailed(let host, let port, let reason):
            "cannot listen on \(host):\(port): \(reason)"
        case .alreadyStarted:
            "the metrics server is already running; call stop() before starting it again"
        }
    }
}
