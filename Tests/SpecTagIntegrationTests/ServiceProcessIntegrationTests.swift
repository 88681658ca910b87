import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SpecTagKafka
import XCTest

/// `spectag serve` as a child process: killed, terminated, restarted, and run against a
/// frozen broker.
final class ServiceProcessIntegrationTests: ServiceTestCase {
    /// Returns the command-line arguments of `spectag serve` for `names`.
    private func serveArguments(_ names: Names, _ extra: [String] = []) -> [String] {
        [
            "--brokers", bootstrapServers.joined(separator: ","),
            "--group-id", names.group,
            "--input-topic", names.input,
            "--tagged-topic", names.tagged,
            "--entity-sentiment-topic", names.entitySentiment,
            "--dead-letter-topic", names.deadLetter,
            "--alerts-topic", names.input + ".alerts",
            "--alerts-changelog-topic", names.input + ".alerts.changelog",
            "--role", "tagger",
            "--model", Self.tinyModel.path,
            "--max-draft", "4",
            "--session-timeout-ms", "2000",
            "--heartbeat-interval-ms", "500",
            "--commit-interval-ms", "200",
            "--topic-partitions", "3",
            "--topic-replication-factor", "1",
            "--metrics-address", "127.0.0.1:0",
        ] + extra
    }

    /// Starts the service and waits until it has its partitions.
    private func startProcess(_ names: Names, _ extra: [String] = []) async throws -> ServiceSubprocess {
        let process = try ServiceSubprocess(arguments: serveArguments(names, extra))
        let assigned = await process.waitForLog("\"msg\":\"partitions assigned\"", seconds: 30)
        if !assigned {
            XCTFail("the service got no partitions within 30 s:\n\(process.logTail())")
            throw TansuBrokerError("the service did not start")
        }
        return process
    }

    /// Sends `ids` at about `rate` messages per second in a background task.
    private func sendInBackground(_ ids: [String], to topic: String, rate: Double) throws -> Task<Void, any Error> {
        let producer = try makeProducer()
        let pause = Duration.milliseconds(Int64(1000 / rate))
        return Task {
            try await sendNewsOneByOne(ids, to: topic, producer: producer, pause: pause)
            await producer.close()
        }
    }



    private func duplicates(_ keys: [String]) -> Int {
        keys.count - Set(keys).count
    }

    // MARK: Crash and restart

    func testKilledServiceRestartsWithoutLoss() async throws {
        let names = makeNames()
        let ids = (0..<150).map { "k-\($0)" }
        let first = try await startProcess(names)
        let sending = try sendInBackground(ids, to: names.input, rate: 60)

        _ = try await readUntil(names.tagged, settle: 0) { $0.count >= 20 }
        first.kill()
        let beforeRestart = try await readUntil(names.tagged, seconds: 2, settle: 0) { _ in false }
        let second = try await startProcess(names)
        try await sending.value
        let tagged = try await readUntil(names.tagged, seconds: 90, settle: 2) { Set(Self.keys($0)).isSuperset(of: ids) }
        second.send(SIGTERM)
        let status = await second.waitForExit(seconds: 30)

        let keys = Self.keys(tagged)
        let missing = Set(ids).subtracting(keys)
        print("killed after \(Set(Self.keys(beforeRestart)).count) of \(ids.count) ids were tagged; \(duplicates(keys)) duplicates after the restart")
        XCTAssertLessThan(Set(Self.keys(beforeRestart)).count, ids.count, "the kill came after the last message, so it tested nothing")
        XCTAssertEqual(missing, [], "ids lost across the crash")
        XCTAssertEqual(status, 0, second.logTail())
    }

    // MARK: Graceful shutdown

    func testTerminatedServiceCommitsDeliveredWork() async throws {
        let names = makeNames()
        let ids = (0..<120).map { "t-\($0)" }
        let process = try await startProcess(names)
        let sending = try sendInBackground(ids, to: names.input, rate: 60)

        _ = try await readUntil(names.tagged, settle: 0) { $0.count >= 20 }
        process.send(SIGTERM)
        let status = await process.waitForExit(seconds: 30)
        try await sending.value
        let committed = try await committedOffsets(group: names.group, topic: names.input)
        let positions = try await inputPositions(names.input, count: ids.count)
        let tagged = Set(Self.keys(try await readUntil(names.tagged, seconds: 3, settle: 0) { _ in false }))

        XCTAssertEqual(status, 0, process.logTail())
        XCTAssertFalse(process.logLines(containing: "\"msg\":\"tagging service stopped\"").filter { $0.contains("\"clean\":true") }.isEmpty, process.logTail())
        var committedIDs: Set<String> = []
        for (partition, offsets) in positions {
            let limit = committed[partition] ?? 0
            committedIDs.formUnion(offsets.filter { $0.key < limit }.map(\.value))
        }
        XCTAssertFalse(committedIDs.isEmpty, "nothing was committed")
        XCTAssertLessThan(committedIDs.count, ids.count, "the service stopped after the last message, so the test checked no cut")
        XCTAssertEqual(committedIDs.subtracting(tagged), [], "committed without a delivered output")
        XCTAssertEqual(tagged.subtracting(committedIDs), [], "delivered but not committed at shutdown")
    }

    // MARK: Exactly once

    func testExactlyOnceRestartHasNoDuplicates() async throws {
        let names = makeNames()
        let firstIDs = (0..<60).map { "x-\($0)" }
        let secondIDs = (60..<100).map { "x-\($0)" }
        let extra = ["--guarantee", "exactly_once", "--transactional-id", uniqueName("tagger")]
        let first = try await startProcess(names, extra)
        let producer = try makeProducer()

        try await sendNews(firstIDs, to: names.input, producer: producer)
        _ = try await readUntil(names.tagged, isolation: .readCommitted, settle: 0) { $0.count >= 20 }
        first.send(SIGTERM)
        let firstStatus = await first.waitForExit(seconds: 30)
        let second = try await startProcess(names, extra)
        try await sendNews(secondIDs, to: names.input, producer: producer)
        let tagged = try await readUntil(names.tagged, isolation: .readCommitted, seconds: 90, settle: 2) {
            Set(Self.keys($0)).isSuperset(of: firstIDs + secondIDs)
        }
        second.send(SIGTERM)
        let secondStatus = await second.waitForExit(seconds: 30)

        let keys = Self.keys(tagged)
        XCTAssertEqual(Set(keys), Set(firstIDs + secondIDs))
        XCTAssertEqual(duplicates(keys), 0, "a read_committed reader saw duplicates")
        XCTAssertEqual(firstStatus, 0, first.logTail())
        XCTAssertEqual(secondStatus, 0, second.logTail())
        XCTAssertFalse(second.logLines(containing: "transactions initialized").isEmpty, second.logTail())
        await producer.close()
    }

    func testSecondSignalForcesExit() async throws {
        let names = makeNames()
        let process = try await startProcess(names)
        let broker = try XCTUnwrap(broker)

        // With the broker frozen the graceful shutdown cannot finish its commit.
        broker.freeze()
        process.send(SIGTERM)
        let stoppingLogged = await process.waitForLog("stopping: finishing messages in flight", seconds: 10)
        process.send(SIGTERM)
        let status = await process.waitForExit(seconds: 10)
        broker.thaw()

        XCTAssertTrue(stoppingLogged, process.logTail())
        XCTAssertEqual(status, 1, process.logTail())
        XCTAssertFalse(process.logLines(containing: "second signal; exiting without finishing").isEmpty, process.logTail())
    }

    // MARK: Operations

    func testMetricsEndpointsReportReadinessAndLag() async throws {
        let names = makeNames()
        let process = try await startProcess(names, ["--statistics-interval-ms", "300"])
        let producer = try makeProducer()
        let ids = (0..<10).map { "o-\($0)" }
        let portLine = try XCTUnwrap(process.logLines(containing: "metrics server started").first)
        let port = try XCTUnwrap(portLine.firstMatch(of: /"port":(\d+)/).map { String($0.1) })

        try await sendNews(ids, to: names.input, producer: producer)
        _ = try await readUntil(names.tagged, settle: 0) { Set(Self.keys($0)).isSuperset(of: ids) }
        try await Task.sleep(for: .seconds(1))
        let (readyBody, readyResponse) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/readyz")!)
        let (metricsBody, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        process.send(SIGTERM)
        _ = await process.waitForExit(seconds: 30)

        let metrics = String(decoding: metricsBody, as: UTF8.self)
        XCTAssertEqual((readyResponse as? HTTPURLResponse)?.statusCode, 200)
        XCTAssertEqual(String(decoding: readyBody, as: UTF8.self), "ready\n")
        XCTAssertTrue(metrics.contains("spectag_messages_total{direction=\"in\",topic=\"\(names.input)\"} 10"), metrics)
        XCTAssertTrue(metrics.contains("spectag_consumer_lag{partition=\"0\",topic=\"\(names.input)\"}"), metrics)
        XCTAssertTrue(metrics.contains("spectag_batch_size_count"), metrics)
        XCTAssertTrue(metrics.contains("spectag_draft_tokens_total"), metrics)
        await producer.close()
    }

    // MARK: Broker outage

    func testFrozenBrokerDelaysWithoutLoss() async throws {
        let names = makeNames()
        let firstIDs = (0..<30).map { "f-\($0)" }
        let secondIDs = (30..<60).map { "f-\($0)" }
        let process = try await startProcess(names)
        let producer = try makeProducer()
        let broker = try XCTUnwrap(broker)

        try await sendNews(firstIDs, to: names.input, producer: producer)
        _ = try await readUntil(names.tagged, settle: 0) { Set(Self.keys($0)).isSuperset(of: firstIDs) }
        let linesBeforeFreeze = process.log.split(separator: "\n").count
        broker.freeze()
        let sending = Task { try await sendNewsOneByOne(secondIDs, to: names.input, producer: producer, pause: .zero) }
        try await Task.sleep(for: .seconds(6))
        let runningWhileFrozen = process.isRunning
        broker.thaw()
        try await sending.value
        let tagged = try await readUntil(names.tagged, seconds: 90) { Set(Self.keys($0)).isSuperset(of: firstIDs + secondIDs) }
        process.send(SIGTERM)
        let status = await process.waitForExit(seconds: 30)

        let linesAfterFreeze = process.log.split(separator: "\n").dropFirst(linesBeforeFreeze)
        let warnings = linesAfterFreeze.filter { $0.contains("\"level\":\"warning\"") || $0.contains("\"level\":\"error\"") }
        XCTAssertTrue(runningWhileFrozen, "the service exited while the broker was frozen:\n\(process.logTail())")
        XCTAssertEqual(Set(firstIDs + secondIDs).subtracting(Self.keys(tagged)), [], "ids lost across the broker freeze")
        XCTAssertFalse(warnings.isEmpty, "the service logged no warning about the frozen broker:\n\(process.logTail())")
        XCTAssertEqual(status, 0, process.logTail())
        await producer.close()
    }
}

/// Sends news messages with `ids` one after another, waiting `pause` after each delivery.
private func sendNewsOneByOne(_ ids: [String], to topic: String, producer: KafkaProducer, pause: Duration) async throws {
    for id in ids {
        let value = Data(ServiceTestCase.newsJSON(id).utf8)
        _ = try await producer.send(topic: topic, key: Data(id.utf8), value: value)
        try await Task.sleep(for: pause)
    }
}
