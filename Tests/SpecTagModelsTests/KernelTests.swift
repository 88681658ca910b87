import Foundation
import XCTest
@testable import SpecTagModels

/// The elementwise kernels against Double references from Foundation, on inputs that cover
/// whole SIMD chunks and remainders.
final class KernelTests: XCTestCase {
    /// Sample points from `lower` to `upper` in steps of `step`, both ends included.
    private func samples(from lower: Double, to upper: Double, step: Double) -> [Float] {
        stride(from: lower, through: upper, by: step).map { Float($0) }
    }

    /// Applies `kernel` to `inputs` 8 at a time, the last chunk padded with zeros.
    private func applyVector(_ inputs: [Float], _ kernel: (VectorMath.Vector) -> VectorMath.Vector) -> [Float] {
        var outputs = inputs
        outputs.withUnsafeMutableBufferPointer { VectorMath.transform($0, vectorBody: kernel) }
        return outputs
    }

    func testExpRelativeErrorBelow1e6() {
        let inputs = samples(from: -87, to: 88, step: 0.0137)
        let outputs = applyVector(inputs, VectorMath.exp)
        var worst = 0.0
        for (x, y) in zip(inputs, outputs) {
            let expected = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(y) - expected) / expected)
        }
        XCTAssertLessThan(worst, 1e-6, "max relative error of VectorMath.exp on [-87, 88]")
    }

    func testExpOfNegativeInfinityIsTiny() {
        let outputs = applyVector([-.infinity, -1000, 0], VectorMath.exp)
        XCTAssertLessThan(outputs[0], 1e-37)
        XCTAssertLessThan(outputs[1], 1e-37)
        XCTAssertEqual(outputs[2], 1)
    }

    func testExpOfNaNIsNaN() {
        let outputs = applyVector([.nan, 1], VectorMath.exp)

        XCTAssertTrue(outputs[0].isNaN, "exp(NaN) = \(outputs[0])")
        XCTAssertEqual(outputs[1], Float(M_E), accuracy: 1e-6)
    }

    func testErfAbsoluteErrorBelow1e6() {
        let inputs = samples(from: -8, to: 8, step: 0.00071)
        let outputs = applyVector(inputs, VectorMath.erf)
        var worst = 0.0
        for (x, y) in zip(inputs, outputs) {
            worst = max(worst, abs(Double(y) - Foundation.erf(Double(x))))
        }
        XCTAssertLessThan(worst, 1e-6, "max absolute error of VectorMath.erf on [-8, 8]")
    }

    func testGELUMatchesErfFormula() {
        let inputs = samples(from: -10, to: 10, step: 0.00093)
        var matrix = Matrix(rows: 1, columns: inputs.count, values: inputs)
        Activation.gelu.apply(&matrix)
        var worst = 0.0
        for (x, y) in zip(inputs, matrix.values) {
            let expected = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            worst = max(worst, abs(Double(y) - expected) / max(1, abs(Double(x))))
        }
        XCTAssertLessThan(worst, 1e-6, "max of |error| / max(1, |x|) of erf GELU on [-10, 10]")
    }

    func testSoftmaxMatchesDoubleReference() {
        for count in [1, 3, 8, 9, 16, 37, 64] {
            let logits = (0 ..< count).map { Float(sin(Double($0) * 1.7) * 6) }
            let probabilities = Softmax.probabilities(logits)
            let maximum = logits.map(Double.init).max()!
            let exponentials = logits.map { Foundation.exp(Double($0) - maximum) }
            let total = exponentials.reduce(0, +)
            for (index, value) in probabilities.enumerated() {
                XCTAssertEqual(Double(value), exponentials[index] / total, accuracy: 1e-6, "count \(count), index \(index)")
            }
        }
    }

    func testSoftmaxGivesMaskedEntriesNoWeight() {
        let probabilities = Softmax.probabilities([0, -.infinity, 0, -.infinity, 0, 0, 0, 0, 0, -.infinity])
        XCTAssertEqual(probabilities.reduce(0, +), 1, accuracy: 1e-6)
        for index in [1, 3, 9] {
            XCTAssertLessThan(probabilities[index], 1e-30, "masked index \(index)")
        }
        XCTAssertEqual(probabilities[0], 1.0 / 7, accuracy: 1e-6)
    }

    func testSoftmaxOfAllMaskedRowIsZero() {
        XCTAssertEqual(Softmax.probabilities([-.infinity, -.infinity, -.infinity]), [0, 0, 0])
    }

    func testLayerNormMatchesDoubleReference() {
        for width in [1, 7, 8, 20, 384, 389] {
            let rows = 3
            let values = (0 ..< rows * width).map { Float(cos(Double($0) * 0.37) * 4 + Double($0 % 5)) }
            let weight = (0 ..< width).map { Float(1 + 0.01 * Double($0 % 13)) }
            let bias = (0 ..< width).map { Float(0.1 * Double($0 % 7) - 0.3) }
            let layerNorm = LayerNorm(weight: weight, bias: bias, epsilon: 1e-12)
            var matrix = Matrix(rows: rows, columns: width, values: values)
            layerNorm.apply(&matrix)
            for row in 0 ..< rows {
                let x = values[row * width ..< (row + 1) * width].map(Double.init)
                let mean = x.reduce(0, +) / Double(width)
                let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
                for column in 0 ..< width {
                    let expected = (x[column] - mean) / (variance + 1e-12).squareRoot() * Double(weight[column]) + Double(bias[column])
                    XCTAssertEqual(Double(matrix[row, column]), expected, accuracy: 1e-5, "width \(width), row \(row), column \(column)")
                }
            }
        }
    }

    func testLayerNormResidualEqualsSumThenNorm() {
        let width = 19
        let input = Matrix(rows: 2, columns: width, values: (0 ..< 2 * width).map { Float($0 % 6) - 2.5 })
        let residual = Matrix(rows: 2, columns: width, values: (0 ..< 2 * width).map { Float(($0 * 7) % 5) * 0.5 })
        let layerNorm = LayerNorm(weight: [Float](repeating: 1.5, count: width), bias: [Float](repeating: 0.25, count: width), epsilon: 1e-5)
        var sum = input
        sum.add(residual)
        layerNorm.apply(&sum)
        let fused = layerNorm.applyResidual(input, residual)
        for (index, (expected, actual)) in zip(sum.values, fused.values).enumerated() {
            XCTAssertEqual(actual, expected, accuracy: 1e-6, "element \(index)")
        }
    }
}
