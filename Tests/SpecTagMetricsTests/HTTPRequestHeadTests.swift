import XCTest

@testable import SpecTagMetrics

final class HTTPRequestHeadTests: XCTestCase {
    private func parse(_ text: String) -> HTTPRequestHead? {
        HTTPRequestHead(parsing: Array(text.utf8))
    }

    func testRequestLineParsesMethodAndPath() {
        XCTAssertEqual(parse("GET /metrics HTTP/1.1\r\nHost: x"), HTTPRequestHead(method: "GET", path: "/metrics"))
        XCTAssertEqual(parse("HEAD /readyz?verbose=1 HTTP/1.0"), HTTPRequestHead(method: "HEAD", path: "/readyz"))
        XCTAssertEqual(parse("GET /healthz#frag HTTP/1.1\n"), HTTPRequestHead(method: "GET", path: "/healthz"))
    }

    func testAbsoluteFormKeepsOnlyPath() {
        XCTAssertEqual(parse("GET http://127.0.0.1:9464/metrics HTTP/1.1"), HTTPRequestHead(method: "GET", path: "/metrics"))
        XCTAssertEqual(parse("GET https://h HTTP/1.1"), HTTPRequestHead(method: "GET", path: "/"))
        XCTAssertEqual(parse("GET http:// HTTP/1.1"), HTTPRequestHead(method: "GET", path: "/"))
    }

    func testMalformedRequestLinesAreRejected() {
        let malformed = [
            "", "GET", "GET /metrics", "GET /metrics HTTP/2.0", "GET /metrics HTTP/1.1 extra",
            "get /metrics HTTP/1.1", "GET metrics HTTP/1.1", "G3T /metrics HTTP/1.1", "GET  /metrics HTTP/1.1",
        ]
        for line in malformed {
            XCTAssertNil(parse(line), line)
        }
        XCTAssertNil(HTTPRequestHead(parsing: [0x47, 0x45, 0x54, 0x20, 0xFF, 0x20]), "invalid UTF-8")
    }
}
