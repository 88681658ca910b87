import Foundation
import XCTest

/// Checks of `deploy/docker`. No container engine runs here, so these read the files: the
/// Dockerfile line by line and the compose file through PyYAML.
final class DockerFilesTests: XCTestCase {
    private var dockerfileURL: URL { DeployFiles.dockerDirectory.appendingPathComponent("Dockerfile") }
    private var composeURL: URL { DeployFiles.dockerDirectory.appendingPathComponent("compose.yaml") }

    // MARK: Dockerfile

    /// Returns the Dockerfile's instructions with continuation lines joined and comments dropped.
    private func instructions() throws -> [String] {
        var result: [String] = []
        var pending = ""
        for rawLine in try DeployFiles.text(dockerfileURL).split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasSuffix("\\") {
                pending += String(line.dropLast()) + " "
            } else {
                result.append(pending + line)
                pending = ""
            }
        }
        return result
    }

    /// Returns the instructions after the last `FROM`, which make the runtime image.
    private func runtimeStage() throws -> [String] {
        let all = try instructions()
        guard let lastFrom = all.lastIndex(where: { $0.hasPrefix("FROM ") }) else {
            throw DeployTestError("\(dockerfileURL.path) has no FROM instruction")
        }
        return Array(all[lastFrom...])
    }

    func testDockerfileBuildsReleaseWithStaticStandardLibrary() throws {
        let all = try instructions()
        let build = try XCTUnwrap(all.first { $0.contains("swift build") }, "no swift build step")

        XCTAssertTrue(all.contains("ARG SWIFT_IMAGE=swift:6.3-bookworm"))
        XCTAssertTrue(build.contains("-c release"), build)
        XCTAssertTrue(build.contains("--static-swift-stdlib"), build)
        XCTAssertTrue(all.contains { $0.hasPrefix("COPY models ") }, "the model folder must be in the image")
    }

    func testRuntimeStageInstallsLibrariesAsNonRoot() throws {
        let stage = try runtimeStage()
        let install = try XCTUnwrap(stage.first { $0.contains("apt-get install") })

        XCTAssertTrue(try instructions().contains("ARG RUNTIME_IMAGE=debian:bookworm-slim"))
        XCTAssertEqual(stage.first, "FROM ${RUNTIME_IMAGE}")
        XCTAssertTrue(install.contains("librdkafka1"), install)
        XCTAssertTrue(install.contains("libopenblas0-pthread"), install)
        XCTAssertTrue(install.contains("libcurl4"), install)
        XCTAssertTrue(stage.contains("USER 10001:10001"))
        XCTAssertTrue(stage.contains(#"ENTRYPOINT ["spectag", "serve"]"#))
    }

    func testRuntimeStageServesMetricsOnExposedPort() throws {
        let stage = try runtimeStage()
        let environment = try XCTUnwrap(stage.first { $0.hasPrefix("ENV ") })

        XCTAssertTrue(environment.contains("SPECTAG_METRICS_ADDRESS=0.0.0.0:9464"), environment)
        XCTAssertTrue(stage.contains("EXPOSE 9464"))
    }

    func testDockerignoreKeepsOnlyBuildInputs() throws {
        let ignore = try DeployFiles.text(DeployFiles.dockerDirectory.appendingPathComponent("Dockerfile.dockerignore"))
        let rules = ignore.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }

        XCTAssertEqual(rules.first, "*")
        XCTAssertEqual(Set(rules.dropFirst()), ["!Package.swift", "!Sources/", "!models/"])
    }

    // MARK: Compose

    private func compose() throws -> [String: Any] {
        guard let document = try YAMLDocuments.load(composeURL).first as? [String: Any] else {
            throw DeployTestError("\(composeURL.path) is not a mapping")
        }
        return document
    }

    func testComposeStartsKafkaThenTopicsThenSpectag() throws {
        let compose = try compose()
        let services = try XCTUnwrap(compose["services"] as? [String: Any])

        XCTAssertEqual(Set(services.keys), ["kafka", "topic-init", "spectag"])
        XCTAssertEqual(JSONPath.string(compose, "services.topic-init.depends_on.kafka.condition"), "service_healthy")
        XCTAssertEqual(
            JSONPath.string(compose, "services.spectag.depends_on.topic-init.condition"),
            "service_completed_successfully"
        )
        XCTAssertNotNil(JSONPath.value(compose, "services.kafka.healthcheck.test"))
    }

    func testComposeKafkaRunsInKRaftMode() throws {
        let compose = try compose()
        let environment = try XCTUnwrap(JSONPath.value(compose, "services.kafka.environment") as? [String: Any])
        let image = try XCTUnwrap(JSONPath.string(compose, "services.kafka.image"))

        XCTAssertTrue(image.hasPrefix("apache/kafka:"), image)
        XCTAssertEqual(environment["KAFKA_PROCESS_ROLES"] as? String, "broker,controller")
        XCTAssertEqual(environment["KAFKA_CONTROLLER_QUORUM_VOTERS"] as? String, "1@kafka:9093")
        XCTAssertNil(environment["KAFKA_ZOOKEEPER_CONNECT"])
        XCTAssertEqual(JSONPath.value(compose, "services.kafka.ports") as? [String], ["127.0.0.1:29092:29092"])
    }

    func testComposeTopicsHaveEnoughPartitionsForReplicas() throws {
        let compose = try compose()
        let script = try XCTUnwrap((JSONPath.value(compose, "services.topic-init.command") as? [String])?.first)
        let replicas = try XCTUnwrap(JSONPath.integer(compose, "services.spectag.deploy.replicas"))
        let environment = try XCTUnwrap(JSONPath.value(compose, "services.spectag.environment") as? [String: Any])
        let pattern = try NSRegularExpression(pattern: #"--partitions (\d+)"#)
        let partitionCounts = pattern.matches(in: script, range: NSRange(script.startIndex..., in: script)).compactMap {
            Range($0.range(at: 1), in: script).flatMap { Int(script[$0]) }
        }

        XCTAssertFalse(partitionCounts.isEmpty, "topic-init creates no topic")
        XCTAssertTrue(partitionCounts.allSatisfy { $0 >= replicas }, "partitions \(partitionCounts) < replicas \(replicas)")
        XCTAssertTrue(script.contains("--topic \"$$topic\""), "compose needs $$ to keep $ for the shell")
        XCTAssertTrue(script.contains("news news.tagged news.entity-sentiment news.dead-letter news.alerts"), script)
        XCTAssertEqual(environment["SPECTAG_CREATE_TOPICS"] as? String, "false")
        XCTAssertEqual(environment["SPECTAG_BROKERS"] as? String, "kafka:9092")
    }

    func testComposeSpectagStopsGracefullyAndIsLockedDown() throws {
        let compose = try compose()
        let spectag = try XCTUnwrap(JSONPath.value(compose, "services.spectag") as? [String: Any])
        let environment = try XCTUnwrap(spectag["environment"] as? [String: Any])
        let shutdownMilliseconds = try XCTUnwrap((environment["SPECTAG_SHUTDOWN_TIMEOUT_MS"] as? String).flatMap { Int($0) })
        let grace = try XCTUnwrap(spectag["stop_grace_period"] as? String)
        let graceSeconds = try XCTUnwrap(Int(grace.dropLast()), "stop_grace_period \(grace) must be in seconds")

        XCTAssertTrue(grace.hasSuffix("s"))
        XCTAssertGreaterThanOrEqual(graceSeconds * 1000, shutdownMilliseconds + 10_000)
        XCTAssertEqual(spectag["stop_signal"] as? String, "SIGTERM")
        XCTAssertEqual(JSONPath.bool(compose, "services.spectag.read_only"), true)
        XCTAssertEqual(spectag["cap_drop"] as? [String], ["ALL"])
        XCTAssertEqual(environment["SPECTAG_METRICS_ADDRESS"] as? String, "0.0.0.0:9464")
        XCTAssertEqual(JSONPath.string(compose, "services.spectag.build.dockerfile"), "deploy/docker/Dockerfile")
    }
}
