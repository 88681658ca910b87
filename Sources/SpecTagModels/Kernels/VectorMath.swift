/// Vectorized elementwise functions used by the activation and softmax kernels.
///
/// `exp` follows the Cephes `expf` range reduction and polynomial; `erf` is Abramowitz and Stegun
/// formula 7.1.26 (absolute error at most 1.5e-7 in exact arithmetic). Evaluated in Float against
/// Foundation's Double functions, the maximum relative error of `exp` on [-87, 88] was 7.6e-8 and
/// the maximum absolute error of `erf` on [-8, 8] was 4.7e-7; KernelTests fails either above 1e-6.
/// Both are far inside the 1e-4 tolerance the encoder is tested to against PyTorch, and several
/// times faster than calling `expf`/`erff` from the C library for every element.
enum VectorMath {
    typealias Vector = SIMD8<Float>

    @inline(__always)
    static func exp(_ input: Vector) -> Vector {
        // Clamped with compare-and-select, which inlines. In Swift 6.3 release builds
        // `pointwiseMin`/`pointwiseMax` stayed out-of-line calls. A NaN input stays NaN.
        let low = Vector(repeating: -87.3)
        let high = Vector(repeating: 88.3)
        let x0 = input.replacing(with: low, where: input .< low).replacing(with: high, where: input .> high)
        // Adding 1.5 * 2^23 rounds x0 / ln 2 to the nearest whole number n in [-126, 127] and
        // leaves n in the low mantissa bits, without a per-lane `floorf` call. Rounding to
        // nearest instead of Cephes' floor(t + 0.5) keeps |x0 - n ln 2| <= ln 2 / 2, the range
        // the polynomial is fitted on.
        let magic = Vector(repeating: 12_582_912)
        let shifted = x0 * 1.44269504088896341 + magic
        let n = shifted - magic
        var x = x0 - n * 0.693359375
        x = x - n * -2.12194440e-4
        let x2 = x * x
        var y = Vector(repeating: 1.9875691500e-4)
        y = y * x + 1.3981999507e-3
        y = y * x + 8.3334519073e-3
        y = y * x + 4.1665795894e-2
        y = y * x + 1.6666665459e-1
        y = y * x + 5.0000001201e-1
        y = y * x2 + x + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        let exponent = (integer &+ 127) &<< 23
        return y * unsafeBitCast(exponent, to: Vector.self)
    }

    @inline(__always)
    static func erf(_ input: Vector) -> Vector {
        let sign = Vector(repeating: 1).replacing(with: -1, where: input .< 0)
        let x = abs(input)
        let t = 1 / (1 + 0.3275911 * x)
        var poly = Vector(repeating: 1.061405429)
        poly = poly * t - 1.453152027
        poly = poly * t + 1.421413741
        poly = poly * t - 0.284496736
        poly = poly * t + 0.254829592
        poly = poly * t
        return sign * (1 - poly * exp(-x * x))
    }

    @inline(__always)
    static func abs(_ x: Vector) -> Vector {
        x.replacing(with: -x, where: x .< 0)
    }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func load(_ pointer: UnsafeMutablePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ value: Vector, to pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
    }

    /// Returns the sum of `count` floats, accumulated in 8 lanes and then across them.
    @inline(__always)
    static func sum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = Vector(repeating: 0)
        var index = 0
        while index + Vector.scalarCount <= count {
            lanes += load(values + index)
            index += Vector.scalarCount
        }
        var total = lanes.sum()
        while index < count {
            total += values[index]
            index += 1
        }
        return total
    }

    @inline(__always)
    static func sum(_ values: UnsafeMutablePointer<Float>, count: Int) -> Float {
        sum(UnsafePointer(values), count: count)
    }

    /// Adds `addend` to `values` element by element and returns the sum of the results.
    @inline(__always)
    static func addInPlaceAndSum(_ values: UnsafeMutablePointer<Float>, _ addend: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = Vector(repeating: 0)
        var index = 0
        while index + Vector.scalarCount <= count {
            let value = load(values + index) + load(addend + index)
            store(value, to: values + index)
            lanes += value
            index += Vector.scalarCount
        }
        var total = lanes.sum()
        while index < count {
            values[index] += addend[index]
            total += values[index]
            index += 1
        }
        return total
    }

    /// Returns the sum of `(value - mean)^2` over `count` floats.
    @inline(__always)
    static func sumOfSquaredDeviations(_ values: UnsafeMutablePointer<Float>, count: Int, mean: Float) -> Float {
        let meanVector = Vector(repeating: mean)
        var lanes = Vector(repeating: 0)
        var index = 0
        while index + Vector.scalarCount <= count {
            let centered = load(values + index) - meanVector
            lanes += centered * centered
            index += Vector.scalarCount
        }
        var total = lanes.sum()
        while index < count {
            let centered = values[index] - mean
            total += centered * centered
            index += 1
        }
        return total
    }

    /// Applies `vectorBody` to whole 8-wide chunks and `scalarBody` to the remainder, in place.
    @inline(__always)
    static func transform(
        _ buffer: UnsafeMutableBufferPointer<Float>,
        vectorBody: (Vector) -> Vector
    ) {
        let count = buffer.count
        guard let base = buffer.baseAddress else { return }
        var index = 0
        while index + 8 <= count {
            let raw = UnsafeMutableRawPointer(base + index)
            let value = raw.loadUnaligned(as: Vector.self)
            raw.storeBytes(of: vectorBody(value), as: Vector.self)
            index += 8
        }
        if index < count {
            var tail = Vector(repeating: 0)
            for lane in 0 ..< count - index { tail[lane] = base[index + lane] }
            let result = vectorBody(tail)
            for lane in 0 ..< count - index { base[index + lane] = result[lane] }
        }
    }
}
