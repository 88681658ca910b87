import CRdKafka

// MARK: - librdkafka version

/// A librdkafka release number, such as 2.16.0.
///
/// The program is compiled against Debian's librdkafka 2.0.2 headers but may load a newer
/// `librdkafka.so.1` at run time; ``loaded`` is the one actually in use.
public struct LibrdkafkaVersion: Sendable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Decodes librdkafka's `0xMMmmrrxx` integer (major, minor, revision, pre-release).
    public init(encoded value: Int32) {
        let bits = UInt32(bitPattern: value)
        self.init(major: Int(bits >> 24 & 0xFF), minor: Int(bits >> 16 & 0xFF), patch: Int(bits >> 8 & 0xFF))
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (lhs: LibrdkafkaVersion, rhs: LibrdkafkaVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    // MARK: Run time

    /// The version of the librdkafka library loaded into this process (`rd_kafka_version()`).
    public static var loaded: LibrdkafkaVersion {
        LibrdkafkaVersion(encoded: rd_kafka_version())
    }

    /// The version of the headers this module was compiled against.
    public static let headers = LibrdkafkaVersion(encoded: RD_KAFKA_VERSION)

    // MARK: Tansu

    /// The oldest release that completes the connection handshake with the Tansu broker.
    ///
    /// Measured with Tansu 0.6.0: librdkafka 2.0.2 and 2.1.1 fail to parse Tansu's
    /// ApiVersions response ("Protocol read buffer underflow"), while 2.2.0, 2.3.0 and
    /// 2.6.0 fetch metadata.
    /// NOTE: only the handshake and a metadata request were checked below 2.16.
    public static let minimumForTansu = LibrdkafkaVersion(major: 2, minor: 2, patch: 0)

    /// The release with which the integration tests against Tansu pass.
    public static let testedWithTansu = LibrdkafkaVersion(major: 2, minor: 16, patch: 0)

    /// Returns an explanation with the fix when `version` is older than `required`, or
    /// `nil` when it is new enough.
    ///
    /// The text reads like "librdkafka 2.0.2 is loaded, but Tansu needs 2.16.0 or newer:
    /// run with LD_LIBRARY_PATH=$(scripts/librdkafka-runtime)".
    public static func tansuCompatibilityProblem(
        version: LibrdkafkaVersion = .loaded,
        required: LibrdkafkaVersion = .minimumForTansu
    ) -> String? {
        guard version < required else { return nil }
        return "librdkafka \(version) is loaded, but Tansu needs \(required) or newer: "
            + "run with LD_LIBRARY_PATH=$(scripts/librdkafka-runtime)"
    }
}
