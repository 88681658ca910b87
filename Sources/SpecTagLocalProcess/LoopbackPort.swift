import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// TCP ports on 127.0.0.1 for servers that this process starts and talks to.
public enum LoopbackPort {
    /// Binds port 0 on 127.0.0.1 and returns the port the kernel chose.
    ///
    /// NOTE: the port is free again when this returns, so another process could take it before
    /// the intended server binds it. That server then fails with "Address already in use".
    ///
    /// - Throws: ``LocalProcessError`` when the socket cannot be created or bound.
    public static func free() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LocalProcessError("socket() failed: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var address = address(port: 0)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            throw LocalProcessError("finding a free port on 127.0.0.1 failed: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(descriptor, $0, &length)
            }
        }
        guard named == 0 else {
            throw LocalProcessError("finding a free port on 127.0.0.1 failed: \(String(cString: strerror(errno)))")
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Returns whether something accepts a TCP connection on 127.0.0.1:`port` right now. The
    /// connection is closed at once; any failure returns `false`.
    public static func acceptsConnection(port: UInt16) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return connect(descriptor, port: port) == 0
    }

    /// Connects `descriptor` to 127.0.0.1:`port` and returns `connect`'s result (0 or -1 with
    /// `errno` set).
    static func connect(_ descriptor: Int32, port: UInt16) -> Int32 {
        var address = address(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    private static func address(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
