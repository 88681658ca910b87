/// An error of this module: a process that cannot start, or a socket call on 127.0.0.1 that
/// failed. The description names the call or address and the `strerror` text.
public struct LocalProcessError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
