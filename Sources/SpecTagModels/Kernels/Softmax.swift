/// Softmax kernels.
public enum Softmax {
    /// Replaces each of the first `count` elements of `row` by its softmax, in place.
    ///
    /// Entries equal to `-Float.infinity` get probability 0; a row that is all `-infinity`
    /// becomes all zeros rather than NaN.
    @inline(__always)
    public static func applyInPlace(_ row: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        var maximum = -Float.infinity
        for index in 0 ..< count where row[index] > maximum { maximum = row[index] }
        guard maximum > -Float.infinity else {
            row.update(repeating: 0, count: count)
            return
        }
        let buffer = UnsafeMutableBufferPointer(start: row, count: count)
        VectorMath.transform(buffer) { x in VectorMath.exp(x - maximum) }
        var total: Float = 0
        for index in 0 ..< count { total += row[index] }
        let scale = 1 / total
        for index in 0 ..< count { row[index] *= scale }
    }

    /// Returns the softmax of `logits`.
    public static func probabilities(_ logits: [Float]) -> [Float] {
        guard !logits.isEmpty else { return [] }
        var result = logits
        result.withUnsafeMutableBufferPointer { applyInPlace($0.baseAddress!, count: $0.count) }
        return result
    }
}
