import Dispatch
import Foundation
import SpecTagLogging

// MARK: - Metrics server

/// A small HTTP/1.1 server for Prometheus scrapes and health probes, on POSIX sockets.
///
/// | request | response |
/// |---|---|
/// | `GET /metrics` | 200, the registry in the text format 0.0.4 (`text/plain; version=0.0.4`) |
/// | `GET /healthz` | 200 `ok` while the process runs |
/// | `GET /readyz` | 200 `ready`, or 503 `not ready: <reason>` from the readiness check |
/// | other paths | 404 |
/// | other methods on those paths | 405 with `Allow: GET, HEAD` |
/// | malformed request line | 400 |
///
/// A `HEAD` request gets the `GET` response without the body. Every response closes the connection.
/// One thread accepts connections, and each connection is handled on a concurrent dispatch
/// queue, at most ``MetricsServerConfiguration/maxConnections`` at once.
///
/// - Important: the server has no authentication or TLS. Bind it to loopback or to a network
///   that only the scraper can reach.
public final class MetricsServer: Sendable {
    public let configuration: MetricsServerConfiguration
    private let registry: MetricsRegistry
    private let readiness: @Sendable () -> Readiness
    private let logger: Logger

    private struct RunningState {
        var listener: Int32
        var wakeRead: Int32
        var wakeWrite: Int32
        var port: UInt16
        var acceptLoopFinished: DispatchSemaphore
    }

    private let running = Locked<RunningState?>(nil)
    private let activeConnections = Locked(0)
    private let connections = DispatchGroup()
    private let connectionQueue = DispatchQueue(label: "spectag.metrics.connections", attributes: .concurrent)

    /// - Parameter readiness: called for each `GET /readyz`; it must be fast and thread-safe.
    public init(
        registry: MetricsRegistry,
        configuration: MetricsServerConfiguration = MetricsServerConfiguration(),
        readiness: @escaping @Sendable () -> Readiness = { .ready },
        logger: Logger = Logger(label: "spectag.metrics")
    ) {
        self.registry = registry
        self.configuration = configuration
        self.readiness = readiness
        self.logger = logger
    }

    /// Port the server listens on, or nil when it is not running. With port 0 in the
    /// configuration this is the port that the kernel picked.
    public var port: UInt16? {
        running.withLock { $0?.port }
    }

    // MARK: Start and stop

    /// Binds the configured address and starts accepting connections on a background thread.
    ///
    /// - Important: the accept thread keeps the server alive until ``stop()``, so call it on shutdown.
    /// - Throws: ``MetricsServerError`` when the address cannot be bound or the server already runs.
    public func start() throws {
        try running.withLock { state in
            guard state == nil else { throw MetricsServerError.alreadyStarted }

            let (listener, port) = try Socket.openListener(host: configuration.host, port: configuration.port)
            var pipeEnds: [Int32] = [0, 0]
            guard pipe(&pipeEnds) == 0 else {
                let reason = String(cString: strerror(errno))
                close(listener)
                throw MetricsServerError.listenFailed(host: configuration.host, port: port, reason: "pipe() failed: \(reason)")
            }
            Socket.setCloseOnExec(pipeEnds[0])
            Socket.setCloseOnExec(pipeEnds[1])

            let finished = DispatchSemaphore(value: 0)
            state = RunningState(
                listener: listener, wakeRead: pipeEnds[0], wakeWrite: pipeEnds[1], port: port,
                acceptLoopFinished: finished
            )
            let wakeRead = pipeEnds[0]
            let thread = Thread { [self] in
                acceptLoop(listener: listener, wakeRead: wakeRead)
                finished.signal()
            }
            thread.name = "spectag.metrics.accept"
            thread.start()
            logger.info("metrics server started", ["host": .string(configuration.host), "port": .int(Int(port))])
        }
    }

    /// Stops accepting, waits for connections in progress to finish and closes the socket.
    ///
    /// Connections in progress end within ``MetricsServerConfiguration/requestTimeout`` twice
    /// over (request and response). Calling `stop()` on a stopped server does nothing.
    public func stop() {
        guard let state = running.withLock({ state -> RunningState? in
            defer { state = nil }
            return state
        }) else { return }

        var wake: UInt8 = 1
        _ = write(state.wakeWrite, &wake, 1)
        state.acceptLoopFinished.wait()
        close(state.listener)
        close(state.wakeRead)
        close(state.wakeWrite)

        let limit = DispatchTime.now() + configuration.requestTimeout.timeInterval * 2 + 1
        if connections.wait(timeout: limit) == .timedOut {
            logger.warning("metrics server stopped with connections still open", ["port": .int(Int(state.port))])
        }
        logger.info("metrics server stopped", ["port": .int(Int(state.port))])
    }

    // MARK: Accepting

    private func acceptLoop(listener: Int32, wakeRead: Int32) {
        var descriptors = [
            pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            descriptors[0].revents = 0
            descriptors[1].revents = 0
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error("metrics server poll failed; no longer accepting", ["error": .string(String(cString: strerror(errno)))])
                return
            }
            if descriptors[1].revents != 0 { return }

            let client = accept(listener, nil, nil)
            if client < 0 {
                handleAcceptError(errno)
                continue
            }
            Socket.prepareConnection(client)
            dispatch(client)
        }
    }

    private func handleAcceptError(_ code: Int32) {
        switch code {
        case EINTR, EAGAIN, EWOULDBLOCK, ECONNABORTED:
            return
        default:
            logger.rateLimited(key: "accept", every: 60).error(
                "metrics server accept failed", ["error": .string(String(cString: strerror(code)))]
            )
            // Out of file descriptors (EMFILE, ENFILE) would otherwise make the loop spin.
            usleep(100_000)
        }
    }

    private func dispatch(_ client: Int32) {
        let admitted = activeConnections.withLock { count -> Bool in
            guard count < configuration.maxConnections else { return false }
            count += 1
            return true
        }
        guard admitted else {
            logger.rateLimited(key: "busy", every: 60).warning(
                "metrics server rejected a connection: too many connections",
                ["max_connections": .int(configuration.maxConnections)]
            )
            let deadline = ContinuousClock.now.advanced(by: .milliseconds(200))
            _ = Socket.sendAll(client, HTTPResponse.busy.serialized(includeBody: true), until: deadline)
            close(client)
            return
        }

        connectionQueue.async(group: connections) { [self] in
            handleConnection(client)
            close(client)
            activeConnections.withLock { $0 -= 1 }
        }
    }

    // MARK: Handling one connection

    private func handleConnection(_ client: Int32) {
        let deadline = ContinuousClock.now.advanced(by: configuration.requestTimeout)
        let response: HTTPResponse
        var includeBody = true

        switch readRequestHead(client, maxBytes: configuration.maxRequestBytes, until: deadline) {
        case .closed(let receivedBytes):
            if receivedBytes > 0 {
                logClientError("client closed the connection before the request was complete")
            }
            return
        case .timedOut:
            logClientError("request timed out")
            response = .requestTimeout
        case .tooLarge:
            logClientError("request head exceeds \(configuration.maxRequestBytes) bytes")
            response = .headersTooLarge
        case .head(let head):
            if let request = HTTPRequestHead(parsing: head) {
                response = route(request)
                includeBody = request.method != "HEAD"
            } else {
                logClientError("malformed request line")
                response = .badRequest
            }
        }

        let writeDeadline = ContinuousClock.now.advanced(by: configuration.requestTimeout)
        guard Socket.sendAll(client, response.serialized(includeBody: includeBody), until: writeDeadline) else {
            logClientError("client did not accept the response")
            return
        }
        closeGracefully(client)
    }

    func route(_ request: HTTPRequestHead) -> HTTPResponse {
        let isRead = request.method == "GET" || request.method == "HEAD"
        switch request.path {
        case "/metrics":
            guard isRead else { return .methodNotAllowed }
            var response = HTTPResponse.text(200, "OK", registry.render())
            response.contentType = "text/plain; version=0.0.4; charset=utf-8"
            return response
        case "/healthz":
            return isRead ? .text(200, "OK", "ok\n") : .methodNotAllowed
        case "/readyz":
            guard isRead else { return .methodNotAllowed }
            switch readiness() {
            case .ready:
                return .text(200, "OK", "ready\n")
            case .notReady(let reason):
                return .text(503, "Service Unavailable", "not ready: \(reason)\n")
            }
        default:
            return .notFound
        }
    }

    /// Half-closes the connection and reads what the client still sends (a request body, for
    /// example) for up to one second. Closing with unread input makes the kernel send a reset,
    /// which can destroy the response before the client reads it.
    private func closeGracefully(_ client: Int32) {
        shutdown(client, Int32(SHUT_WR))
        let deadline = ContinuousClock.now.advanced(by: .seconds(1))
        var discard = [UInt8](repeating: 0, count: 4096)
        var drained = 0
        while drained < 65_536, Socket.wait(client, for: Int16(POLLIN), until: deadline) {
            let count = recv(client, &discard, discard.count, 0)
            if count <= 0 { return }
            drained += count
        }
    }

    private func logClientError(_ problem: String) {
        logger.rateLimited(key: "client-error", every: 60).log(
            level: .debug, "metrics server dropped a bad request", ["problem": .string(problem)]
        )
    }
}

extension Duration {
    /// The duration in seconds, for Dispatch deadlines.
    fileprivate var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
