import SpecTagKafka
import SpecTagStreaming
import XCTest

final class OffsetTrackerTests: XCTestCase {
    private let partition = KafkaTopicPartition(topic: "news", partition: 0)
    private let other = KafkaTopicPartition(topic: "news", partition: 1)

    func testInOrderCompletionAdvancesOffset() {
        var tracker = OffsetTracker()
        let tickets = (10..<13).map { tracker.begin(partition, offset: $0) }

        tickets.forEach { tracker.complete($0) }

        XCTAssertEqual(tracker.committableOffset(partition), 13)
        XCTAssertEqual(tracker.inFlightCount, 0)
    }

    func testOutOfOrderCompletionStopsAtGap() {
        var tracker = OffsetTracker()
        let tickets = (0..<5).map { tracker.begin(partition, offset: $0) }

        tracker.complete(tickets[0])
        tracker.complete(tickets[2])
        tracker.complete(tickets[3])

        XCTAssertEqual(tracker.committableOffset(partition), 1)
        XCTAssertEqual(tracker.inFlightCount, 4)

        tracker.complete(tickets[1])

        XCTAssertEqual(tracker.committableOffset(partition), 4)
        XCTAssertEqual(tracker.inFlightCount, 1)
    }

    func testInFlightCountForPartitionSet() {
        var tracker = OffsetTracker()
        let first = (0..<3).map { tracker.begin(partition, offset: $0) }
        _ = (0..<2).map { tracker.begin(other, offset: $0) }

        tracker.complete(first[0])

        XCTAssertEqual(tracker.inFlightCount(in: [partition]), 2)
        XCTAssertEqual(tracker.inFlightCount(in: [other]), 2)
        XCTAssertEqual(tracker.inFlightCount(in: [partition, other]), 4)
        XCTAssertEqual(tracker.inFlightCount(in: [KafkaTopicPartition(topic: "news", partition: 7)]), 0)
    }

    func testNothingIsCommittableBeforeFirstCompletion() {
        var tracker = OffsetTracker()
        _ = tracker.begin(partition, offset: 7)

        XCTAssertNil(tracker.committableOffset(partition))
        XCTAssertEqual(tracker.takeAdvancedOffsets(), [:])
    }

    func testOffsetGapsInTopicAreSkipped() {
        var tracker = OffsetTracker()
        let first = tracker.begin(partition, offset: 3)
        let second = tracker.begin(partition, offset: 9)

        tracker.complete(first)
        tracker.complete(second)

        XCTAssertEqual(tracker.committableOffset(partition), 10)
    }

    func testAdvancedOffsetsAreReportedOnce() {
        var tracker = OffsetTracker()
        let a = tracker.begin(partition, offset: 0)
        let b = tracker.begin(other, offset: 5)
        tracker.complete(a)
        tracker.complete(b)

        XCTAssertEqual(tracker.takeAdvancedOffsets(), [partition: 1, other: 6])
        XCTAssertEqual(tracker.takeAdvancedOffsets(), [:])

        let c = tracker.begin(partition, offset: 1)
        tracker.complete(c)

        XCTAssertEqual(tracker.takeAdvancedOffsets(), [partition: 2])
    }

    func testCompletingTwiceReturnsFalse() {
        var tracker = OffsetTracker()
        let ticket = tracker.begin(partition, offset: 0)

        XCTAssertTrue(tracker.complete(ticket))
        XCTAssertFalse(tracker.complete(ticket))
    }

    func testRevocationDropsInFlightWork() {
        var tracker = OffsetTracker()
        let kept = tracker.begin(other, offset: 0)
        let tickets = (0..<3).map { tracker.begin(partition, offset: $0) }
        tracker.complete(tickets[0])

        let dropped = tracker.remove([partition])

        XCTAssertEqual(dropped, 2)
        XCTAssertFalse(tracker.isCurrent(tickets[1]))
        XCTAssertFalse(tracker.complete(tickets[1]))
        XCTAssertNil(tracker.committableOffset(partition))
        XCTAssertTrue(tracker.isCurrent(kept))
        XCTAssertEqual(tracker.inFlightCount, 1)
    }

    func testReassignedPartitionIgnoresOldTickets() {
        var tracker = OffsetTracker()
        let old = tracker.begin(partition, offset: 4)
        tracker.remove([partition])
        let new = tracker.begin(partition, offset: 4)

        XCTAssertFalse(tracker.complete(old))
        XCTAssertEqual(tracker.inFlightCount, 1)
        XCTAssertTrue(tracker.complete(new))
        XCTAssertEqual(tracker.committableOffset(partition), 5)
    }

    func testRewindStartsNewEpoch() {
        var tracker = OffsetTracker()
        let stale = tracker.begin(partition, offset: 20)
        let rewound = tracker.begin(partition, offset: 15)

        XCTAssertFalse(tracker.isCurrent(stale))
        XCTAssertFalse(tracker.complete(stale))
        XCTAssertTrue(tracker.complete(rewound))
        XCTAssertEqual(tracker.committableOffset(partition), 16)
    }

    func testPreviewDoesNotCompleteTickets() {
        var tracker = OffsetTracker()
        let tickets = (0..<3).map { tracker.begin(partition, offset: $0) }

        let preview = tracker.committableOffsets(completing: Array(tickets[0..<2]))

        XCTAssertEqual(preview, [partition: 2])
        XCTAssertNil(tracker.committableOffset(partition))
        XCTAssertEqual(tracker.inFlightCount, 3)
    }

    func testLongRunKeepsCommittingAfterCompaction() {
        var tracker = OffsetTracker()
        for offset in Int64(0)..<5000 {
            let ticket = tracker.begin(partition, offset: offset)
            tracker.complete(ticket)
        }
        let last = tracker.begin(partition, offset: 5000)

        XCTAssertEqual(tracker.committableOffset(partition), 5000)
        XCTAssertTrue(tracker.complete(last))
        XCTAssertEqual(tracker.committableOffset(partition), 5001)
        XCTAssertEqual(tracker.inFlightCount, 0)
    }
}
