import XCTest

import SpecTagLogging

final class RedactionTests: XCTestCase {
    func testRedactHidesSecretKafkaSettings() {
        let secretKeys = [
            "sasl.password", "ssl.key.password", "ssl.keystore.password", "sasl.oauthbearer.client.secret",
            "sasl.jaas.config", "ssl.key.pem", "sasl.oauthbearer.config", "SPECTAG_API_TOKEN", "db-Password",
            "apiKey", "Authorization",
        ]
        for key in secretKeys {
            XCTAssertEqual(redact(key: key, value: "hunter2"), "[REDACTED]", key)
        }
    }

    func testRedactKeepsOrdinarySettings() {
        let plainKeys = ["bootstrap.servers", "group.id", "ssl.key.location", "sasl.username", "topic", "max-draft"]
        for key in plainKeys {
            XCTAssertEqual(redact(key: key, value: "value"), "value", key)
        }
    }

    func testRedactKeepsEmptySecretEmpty() {
        XCTAssertEqual(redact(key: "sasl.password", value: ""), "")
    }

    func testRedactConfigurationDictionary() {
        let dump = redact(configuration: ["sasl.password": "p", "group.id": "spectag"])
        XCTAssertEqual(dump, ["sasl.password": "[REDACTED]", "group.id": "spectag"])
    }
}
