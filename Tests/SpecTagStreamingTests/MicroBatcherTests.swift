import SpecTagStreaming
import XCTest

final class MicroBatcherTests: XCTestCase {
    private let start = ContinuousClock.now

    private func batcher(items: Int = 3, cost: Int = 100, wait: Duration = .milliseconds(20)) -> MicroBatcher<Int> {
        MicroBatcher(limits: .init(maxItems: items, maxCost: cost, maxWait: wait))
    }

    func testBatchClosesAtMaxItems() {
        var batcher = batcher(items: 3)

        XCTAssertEqual(batcher.append(1, cost: 1, now: start), [])
        XCTAssertEqual(batcher.append(2, cost: 1, now: start), [])
        XCTAssertEqual(batcher.append(3, cost: 1, now: start), [[1, 2, 3]])
        XCTAssertEqual(batcher.count, 0)
        XCTAssertNil(batcher.deadline)
    }

    func testBatchClosesWhenBudgetIsReached() {
        var batcher = batcher(items: 10, cost: 100)

        XCTAssertEqual(batcher.append(1, cost: 60, now: start), [])
        XCTAssertEqual(batcher.append(2, cost: 40, now: start), [[1, 2]])
    }

    func testItemOverBudgetClosesOpenBatchFirst() {
        var batcher = batcher(items: 10, cost: 100)
        _ = batcher.append(1, cost: 70, now: start)

        let closed = batcher.append(2, cost: 50, now: start)

        XCTAssertEqual(closed, [[1]])
        XCTAssertEqual(batcher.count, 1)
    }

    func testOversizedItemFormsBatchAlone() {
        var batcher = batcher(items: 10, cost: 100)
        _ = batcher.append(1, cost: 10, now: start)

        let closed = batcher.append(2, cost: 500, now: start)

        XCTAssertEqual(closed, [[1], [2]])
        XCTAssertEqual(batcher.count, 0)
    }

    func testBatchClosesAfterMaxWait() {
        var batcher = batcher(items: 10, wait: .milliseconds(20))
        _ = batcher.append(1, cost: 1, now: start)
        _ = batcher.append(2, cost: 1, now: start + .milliseconds(15))

        XCTAssertEqual(batcher.deadline, start + .milliseconds(20))
        XCTAssertNil(batcher.takeIfDue(now: start + .milliseconds(19)))
        XCTAssertEqual(batcher.takeIfDue(now: start + .milliseconds(20)), [1, 2])
        XCTAssertNil(batcher.takeIfDue(now: start + .seconds(1)))
    }

    func testWaitStartsWithFirstItemOfNextBatch() {
        var batcher = batcher(items: 2, wait: .milliseconds(20))
        _ = batcher.append(1, cost: 1, now: start)
        _ = batcher.append(2, cost: 1, now: start)

        _ = batcher.append(3, cost: 1, now: start + .milliseconds(50))

        XCTAssertEqual(batcher.deadline, start + .milliseconds(70))
    }

    func testRemoveAllReturnsCostToBudget() {
        var batcher = batcher(items: 10, cost: 100)
        _ = batcher.append(1, cost: 40, now: start)
        _ = batcher.append(2, cost: 40, now: start)

        let removed = batcher.removeAll(where: { $0 == 1 }, cost: { _ in 40 })

        XCTAssertEqual(removed, [1])
        XCTAssertEqual(batcher.append(3, cost: 50, now: start), [])
        XCTAssertEqual(batcher.takeAll(), [2, 3])
    }

    func testRemovingEveryItemClearsDeadline() {
        var batcher = batcher()
        _ = batcher.append(1, cost: 1, now: start)

        _ = batcher.removeAll(where: { _ in true }, cost: { _ in 1 })

        XCTAssertNil(batcher.deadline)
        XCTAssertEqual(batcher.takeAll(), [])
    }
}
