import Foundation
import SpecTagKafka
import SpecTagSpeculation
import SpecTagStreaming
import XCTest

/// Two in-process services in one group against a Tansu broker: the first is tagging when
/// the second joins, and the partitions it gives up must be finished before they move.
final class ServiceRebalanceIntegrationTests: ServiceTestCase {
    func testRevokedPartitionsFinishBeforeHandover() async throws {
        let names = makeNames()
        var configuration = serviceConfiguration(names)
        configuration.maxBatchMessages = 2
        configuration.maxInFlightMessages = 6
        configuration.rebalanceDrainTimeout = .seconds(20)
        let ids = (0..<60).map { "r-\($0)" }
        let producer = try makeProducer()

        let first = try startService(configuration, tagger: SlowTagger(tagger: try Self.loadTinyTagger()))
        try await first.waitUntilReady()
        try await sendNews(ids, to: names.input, producer: producer)
        // The first instance is mid-stream: some messages are out, most still to come.
        _ = try await readUntil(names.tagged, settle: 0) { $0.count >= 6 }

        let second = try startService(configuration, tagger: SlowTagger(tagger: try Self.loadTinyTagger()))
        try await second.waitUntilReady()
        let tagged = try await readUntil(names.tagged, seconds: 90, settle: 2) { Set(Self.keys($0)).isSuperset(of: ids) }
        try await second.stop()
        try await first.stop()

        XCTAssertEqual(Set(Self.keys(tagged)), Set(ids))
        let repeated = Dictionary(grouping: Self.keys(tagged), by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        XCTAssertEqual(repeated, [], "messages tagged twice across the rebalance")
        let drains = first.logged("finished the messages of partitions being revoked")
        XCTAssertFalse(drains.isEmpty, "the first instance never finished revoked partitions: \(first.logs.entries.map(\.message).suffix(20))")
        XCTAssertTrue(first.logged("rebalance drain timeout reached").isEmpty)
        for entry in first.logged("partitions revoked; unfinished messages are dropped") {
            XCTAssertEqual(entry.metadata["dropped_in_flight"], .int(0), "\(entry.metadata)")
        }
        await producer.close()
    }
}

/// The tiny tagger, taking 300 ms per call, so that work is in flight when a rebalance starts.
struct SlowTagger: NewsTagging {
    let tagger: TextTagger
    var modelName: String { tagger.modelName }
    var drafterName: String { tagger.drafterName }
    var sentimentLabels: [String] { tagger.sentimentLabels }

    func tagTexts(_ texts: [String]) throws -> TaggingRun {
        Thread.sleep(forTimeInterval: 0.3)
        return try tagger.tagTexts(texts)
    }
}
