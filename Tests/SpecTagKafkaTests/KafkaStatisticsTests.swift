import SpecTagKafka
import XCTest

final class KafkaStatisticsTests: XCTestCase {
    /// A trimmed report in the shape of librdkafka's STATISTICS.md, written for this test.
    private let report = """
    {
      "name": "spectag#consumer-1",
      "type": "consumer",
      "ts": 5016483227792,
      "time": 1765000000,
      "topics": {
        "news_raw": {
          "topic": "news_raw",
          "partitions": {
            "0": {"partition": 0, "fetch_state": "active", "hi_offset": 10, "ls_offset": 10,
                  "app_offset": 4, "stored_offset": 4, "committed_offset": 4,
                  "consumer_lag": 6, "consumer_lag_stored": 6},
            "1": {"partition": 1, "fetch_state": "none", "hi_offset": -1, "consumer_lag": -1},
            "-1": {"partition": -1, "consumer_lag": -1}
          }
        }
      }
    }
    """

    func testStatisticsParsesPartitionLag() throws {
        let statistics = try KafkaStatistics(json: report)

        XCTAssertEqual(statistics.clientName, "spectag#consumer-1")
        XCTAssertEqual(statistics.time, Date(timeIntervalSince1970: 1_765_000_000))
        XCTAssertEqual(statistics.consumerLag(topic: "news_raw", partition: 0), 6)
        let partition = try XCTUnwrap(statistics.topics["news_raw"]?[0])
        XCTAssertEqual(partition.highWatermark, 10)
        XCTAssertEqual(partition.committedOffset, 4)
        XCTAssertEqual(partition.consumerLagStored, 6)
        XCTAssertEqual(partition.fetchState, "active")
    }

    func testStatisticsKeepsTopicNamesWithUnderscores() throws {
        let statistics = try KafkaStatistics(json: report)

        XCTAssertEqual(Array(statistics.topics.keys), ["news_raw"])
    }

    func testStatisticsSkipsInternalPartitionAndUnknownLag() throws {
        let statistics = try KafkaStatistics(json: report)

        XCTAssertEqual(statistics.topics["news_raw"]?.keys.sorted(), [0, 1])
        XCTAssertNil(statistics.consumerLag(topic: "news_raw", partition: 1))
        XCTAssertNil(statistics.consumerLag(topic: "other", partition: 0))
    }

    func testStatisticsRejectsReportWithoutName() {
        XCTAssertThrowsError(try KafkaStatistics(json: #"{"time": 1}"#))
    }
}
