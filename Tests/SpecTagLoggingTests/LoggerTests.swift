import Foundation
import XCTest

@testable import SpecTagLogging

final class LoggerTests: XCTestCase {
    override func tearDown() {
        LoggingSystem.bootstrap(level: .info, format: .json)
        super.tearDown()
    }

    // MARK: Levels and metadata

    func testLoggerDropsEntriesBelowItsLevel() {
        let recorder = RecordingLogHandler()
        let logger = Logger(label: "test", handler: recorder, level: .notice)

        logger.trace("t")
        logger.debug("d")
        logger.info("i")
        logger.notice("n")
        logger.warning("w")
        logger.error("e")
        logger.critical("c")

        XCTAssertEqual(recorder.messages, ["n", "w", "e", "c"])
        XCTAssertEqual(recorder.entries.map(\.level), [.notice, .warning, .error, .critical])
        XCTAssertFalse(logger.isEnabled(.info))
        XCTAssertTrue(logger.isEnabled(.notice))
    }

    func testLoggerSkipsMessageClosureWhenDisabled() {
        let recorder = RecordingLogHandler()
        let logger = Logger(label: "test", handler: recorder, level: .error)
        var evaluated = false
        func expensive() -> String {
            evaluated = true
            return "expensive"
        }
        logger.debug(expensive())
        XCTAssertFalse(evaluated)
        XCTAssertTrue(recorder.entries.isEmpty)
    }

    func testCallMetadataOverridesLoggerMetadata() throws {
        let recorder = RecordingLogHandler()
        let logger = Logger(label: "spectag.kafka", handler: recorder)
            .with(["topic": "news", "partition": 1])

        logger.info("assigned", ["partition": 4, "offset": 17])

        let entry = try XCTUnwrap(recorder.entries.first)
        XCTAssertEqual(entry.label, "spectag.kafka")
        XCTAssertEqual(entry.metadata, ["topic": "news", "partition": 4, "offset": 17])
        XCTAssertTrue(entry.file.hasSuffix("LoggerTests.swift"), entry.file)
    }

    // MARK: Global bootstrap

    func testLabelOnlyLoggerFollowsLaterBootstrap() {
        let logger = Logger(label: "spectag.global")
        let recorder = RecordingLogHandler()
        LoggingSystem.bootstrap(handler: recorder, level: .warning)

        logger.info("hidden")
        logger.warning("shown")
        XCTAssertEqual(recorder.messages, ["shown"])

        LoggingSystem.bootstrap(handler: recorder, level: .debug)
        logger.debug("now shown")
        XCTAssertEqual(recorder.messages, ["shown", "now shown"])
    }

    func testBootstrapFromEnvironmentReadsLevelAndFormat() throws {
        try LoggingSystem.bootstrapFromEnvironment(["SPECTAG_LOG_LEVEL": "Debug", "SPECTAG_LOG_FORMAT": "text"])
        XCTAssertEqual(LoggingSystem.level, .debug)
        let handler = try XCTUnwrap(LoggingSystem.current.0 as? StreamLogHandler)
        XCTAssertEqual(handler.format, .text)

        try LoggingSystem.bootstrapFromEnvironment([:], defaultLevel: .notice)
        XCTAssertEqual(LoggingSystem.level, .notice)
        XCTAssertEqual((LoggingSystem.current.0 as? StreamLogHandler)?.format, .json)
    }

    func testBootstrapFromEnvironmentRejectsInvalidValues() {
        LoggingSystem.bootstrap(level: .error, format: .json)

        XCTAssertThrowsError(try LoggingSystem.bootstrapFromEnvironment(["SPECTAG_LOG_LEVEL": "loud"])) { error in
            XCTAssertEqual(
                String(describing: error),
                "SPECTAG_LOG_LEVEL: 'loud' is not valid; use one of trace, debug, info, notice, warning, error, critical"
            )
        }
        XCTAssertThrowsError(try LoggingSystem.bootstrapFromEnvironment(["SPECTAG_LOG_FORMAT": "xml"])) { error in
            XCTAssertEqual(String(describing: error), "SPECTAG_LOG_FORMAT: 'xml' is not valid; use one of json, text")
        }
        XCTAssertEqual(LoggingSystem.level, .error, "a rejected environment must leave the configuration unchanged")
    }

    // MARK: Output

    func testConcurrentWritersProduceWholeJSONLines() throws {
        // The test writes to a pipe because the kernel may split a write of more than PIPE_BUF bytes (4096 on Linux)
        // into parts that interleave with other writers unless the output serializes them.
        var descriptors: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&descriptors), 0, "pipe() failed with errno \(errno)")
        let (readEnd, writeEnd) = (descriptors[0], descriptors[1])
        let collected = Locked(Data())
        let readerDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(readEnd, &buffer, buffer.count)
                if count <= 0 { break }
                collected.withLock { $0.append(contentsOf: buffer[0..<count]) }
            }
            readerDone.signal()
        }

        let logger = Logger(
            label: "spectag.load",
            handler: StreamLogHandler(format: .json, output: LogOutput(fileDescriptor: writeEnd))
        )
        let padding = String(repeating: "x", count: 6000)
        let threads = 8
        let linesPerThread = 200
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in 0..<linesPerThread {
                logger.info("line", ["thread": .int(thread), "index": .int(index), "padding": .string(padding)])
            }
        }
        close(writeEnd)
        readerDone.wait()
        close(readEnd)

        let text = String(decoding: collected.withLock { $0 }, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, threads * linesPerThread)
        var seen = Set<String>()
        for line in lines {
            let object = try XCTUnwrap(
                JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                "not a JSON object: \(line.prefix(80))"
            )
            let thread = try XCTUnwrap(object["thread"] as? Int)
            let index = try XCTUnwrap(object["index"] as? Int)
            seen.insert("\(thread)/\(index)")
        }
        XCTAssertEqual(seen.count, threads * linesPerThread)
    }
}
