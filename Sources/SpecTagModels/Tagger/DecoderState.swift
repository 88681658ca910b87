/// One sentence's progress through the tag decoder: its per-position inputs and the key/value
/// cache of the positions decoded so far.
///
/// A sentence of `n` words has `n + 1` positions: one per word, then the sentiment slot. The
/// cache is allocated for all of them up front. A pass may write keys and values beyond
/// `acceptedCount`, but only `accept(_:)` makes them part of the cache, so positions that a
/// verification pass rejects are simply overwritten by the next pass.
public struct DecoderState: Sendable {
    /// The number of words.
    public let wordCount: Int
    /// `h[first subword] + shape embedding` for each word, then `h[CLS] + sentiment_query`.
    let inputBase: Matrix
    /// Per layer, `[positions, width]` keys and values.
    var keys: [[Float]]
    var values: [[Float]]
    /// Positions decoded and cached so far.
    public private(set) var acceptedCount = 0

    /// The number of decoder positions: the words and the sentiment slot.
    public var positionCount: Int { wordCount + 1 }
    /// Whether every position, sentiment slot included, is decoded.
    public var isComplete: Bool { acceptedCount == positionCount }

    init(inputBase: Matrix, layers: Int) {
        wordCount = inputBase.rows - 1
        self.inputBase = inputBase
        let size = inputBase.rows * inputBase.columns
        keys = [[Float]](repeating: [Float](repeating: 0, count: size), count: layers)
        values = keys
    }

    /// Extends the cache by `count` positions that the last pass computed from correct inputs.
    /// - Important: `count` must not take `acceptedCount` past `positionCount`.
    public mutating func accept(_ count: Int) {
        precondition(count >= 0 && acceptedCount + count <= positionCount, "cannot accept \(count) positions after \(acceptedCount) of \(positionCount)")
        acceptedCount += count
    }

    /// Copies the keys and values of `rows` (columns `width ..< 3 * width` of a fused projection)
    /// into cache positions starting at `position`.
    mutating func store(_ projected: Matrix, rows: Range<Int>, at position: Int, layer: Int) {
        let width = inputBase.columns
        projected.values.withUnsafeBufferPointer { source in
            keys[layer].withUnsafeMutableBufferPointer { keys in
                values[layer].withUnsafeMutableBufferPointer { values in
                    for (offset, row) in rows.enumerated() {
                        let from = source.baseAddress! + row * 3 * width
                        (keys.baseAddress! + (position + offset) * width).update(from: from + width, count: width)
                        (values.baseAddress! + (position + offset) * width).update(from: from + 2 * width, count: width)
                    }
                }
            }
        }
    }
}
