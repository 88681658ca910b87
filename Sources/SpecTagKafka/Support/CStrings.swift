// MARK: - C strings

extension String {
    /// Decodes a C error buffer such as librdkafka's `errstr`, up to its first NUL byte.
    init(nulTerminated buffer: [CChar]) {
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
