import SpecTagMetrics
import XCTest

final class PercentileTests: XCTestCase {
    func testEmptySampleHasNoPercentile() {
        XCTAssertNil(Percentile.nearestRank(50, of: []))
    }

    func testSingleValueIsEveryPercentile() {
        for percent in [0.0, 1, 50, 99, 100] {
            XCTAssertEqual(Percentile.nearestRank(percent, of: [7]), 7, "percent \(percent)")
        }
    }

    /// The textbook example of the nearest-rank method: 15, 20, 35, 40, 50.
    func testNearestRankOfFiveValues() {
        let values: [Double] = [50, 15, 40, 20, 35]
        XCTAssertEqual(Percentile.nearestRank(0, of: values), 15)
        XCTAssertEqual(Percentile.nearestRank(5, of: values), 15)
        XCTAssertEqual(Percentile.nearestRank(30, of: values), 20)
        XCTAssertEqual(Percentile.nearestRank(40, of: values), 20)
        XCTAssertEqual(Percentile.nearestRank(50, of: values), 35)
        XCTAssertEqual(Percentile.nearestRank(100, of: values), 50)
    }

    func testMedianOfEvenCountIsLowerMiddleValue() {
        XCTAssertEqual(Percentile.nearestRank(50, of: [4, 1, 3, 2]), 2)
    }

    /// Of 100 values 1...100, p99 is the 99th value; of 1000 values, p99 is the 990th.
    func testP99PicksRankNotInterpolation() {
        let hundred = (1 ... 100).map(Double.init).shuffled()
        XCTAssertEqual(Percentile.nearestRank(99, of: hundred), 99)
        XCTAssertEqual(Percentile.nearestRank(50, of: hundred), 50)
        let thousand = (1 ... 1000).map(Double.init).shuffled()
        XCTAssertEqual(Percentile.nearestRank(99, of: thousand), 990)
        XCTAssertEqual(Percentile.nearestRank(99.9, of: thousand), 999)
    }

    func testP99OfFewValuesIsMaximum() {
        XCTAssertEqual(Percentile.nearestRank(99, of: [3, 9, 1, 4, 2, 8, 5, 6, 7, 10]), 10)
    }

    func testDuplicatesCount() {
        XCTAssertEqual(Percentile.nearestRank(50, of: [1, 1, 1, 9]), 1)
        XCTAssertEqual(Percentile.nearestRank(80, of: [1, 1, 1, 9]), 9)
    }
}
