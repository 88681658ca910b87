import CBLAS

/// Scaled dot-product attention over one sequence, all heads, on strided row-major buffers.
///
/// Queries, keys and values are views into larger matrices: row `i` of the queries starts
/// `i * queryStride` floats after `queries`, and head `h` occupies columns
/// `h * headSize ..< (h + 1) * headSize` of each row. This lets the encoder read Q, K and V
/// straight out of the fused projection output and write each head's context into its columns
/// of the output without copying.
struct AttentionInputs {
    var queries: UnsafePointer<Float>
    var queryStride: Int
    var queryCount: Int
    var keys: UnsafePointer<Float>
    var values: UnsafePointer<Float>
    var keyValueStride: Int
    var keyCount: Int
    var heads: Int
    var headSize: Int
    /// Added to every score in a key's column: 0 to attend, `-infinity` to mask the key.
    var keyBias: UnsafePointer<Float>?
    /// When set, query `i` attends only to keys `0 ... causalOffset + i`.
    var causalOffset: Int?
}

enum Attention {
    /// Writes the attention output of every head into `output` (row stride `outputStride`).
    ///
    /// - Important: `scratch` must hold at least `queryCount * keyCount` floats.
    static func attend(
        _ inputs: AttentionInputs,
        output: UnsafeMutablePointer<Float>,
        outputStride: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let scale = 1 / Float(inputs.headSize).squareRoot()
        let (m, n, k) = (inputs.queryCount, inputs.keyCount, inputs.headSize)
        guard m > 0, n > 0 else { return }
        for head in 0 ..< inputs.heads {
            let columnOffset = head * inputs.headSize
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                scale, inputs.queries + columnOffset, Int32(inputs.queryStride),
                inputs.keys + columnOffset, Int32(inputs.keyValueStride),
                0, scratch, Int32(n)
            )
            for row in 0 ..< m {
                let scores = scratch + row * n
                if let bias = inputs.keyBias {
                    for column in 0 ..< n { scores[column] += bias[column] }
                }
                var visible = n
                if let offset = inputs.causalOffset {
                    visible = min(n, offset + row + 1)
                    for column in visible ..< n { scores[column] = -.infinity }
                }
                Softmax.applyInPlace(scores, count: n)
            }
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(k), Int32(n),
                1, scratch, Int32(n),
                inputs.values + columnOffset, Int32(inputs.keyValueStride),
                0, output + columnOffset, Int32(outputStride)
            )
        }
    }
}
