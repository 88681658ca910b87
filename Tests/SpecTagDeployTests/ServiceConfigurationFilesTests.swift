import Foundation
import SpecTagStreaming
import XCTest

/// Loads the configurations that the deployment files give `spectag serve` (the ConfigMap's
/// JSON file and the pod's environment, the systemd environment file, the compose
/// environment) with the service's own ``ServiceConfigurationLoader``, as `spectag serve`
/// does at start.
final class ServiceConfigurationFilesTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("spectag-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Kubernetes

    /// Writes the ConfigMap's two files into the temporary folder as the pod's volume mount
    /// would, with the mount path replaced by that folder.
    private func writeConfigMapFiles() throws -> URL {
        let configMap = try KubernetesManifests.object(kind: "ConfigMap", name: "spectag-config")
        let configText = try XCTUnwrap(JSONPath.string(configMap, "data.config\\.json"))
        let properties = try XCTUnwrap(JSONPath.string(configMap, "data.client\\.properties"))
        let configFile = directory.appendingPathComponent("config.json")
        try configText.replacingOccurrences(of: "/etc/spectag/", with: directory.path + "/")
            .write(to: configFile, atomically: true, encoding: .utf8)
        try properties.write(to: directory.appendingPathComponent("client.properties"), atomically: true, encoding: .utf8)
        return configFile
    }

    /// Returns the Deployment's literal environment values, with `$(NAME)` references expanded
    /// the way Kubernetes does, and placeholder values for variables from Secrets.
    private func podEnvironment(ofDeployment name: String = "spectag-tagger") throws -> [String: String] {
        let container = try KubernetesManifests.container(ofDeployment: name)
        let entries = try XCTUnwrap(container["env"] as? [[String: Any]])
        var environment: [String: String] = [:]
        for entry in entries {
            let name = try XCTUnwrap(entry["name"] as? String)
            if JSONPath.value(entry, "valueFrom.secretKeyRef") != nil {
                environment[name] = "placeholder-\(name.lowercased())"
                continue
            }
            var value = try XCTUnwrap(entry["value"] as? String, "\(name) has neither value nor secretKeyRef")
            for (reference, resolved) in environment {
                value = value.replacingOccurrences(of: "$(\(reference))", with: resolved)
            }
            environment[name] = value
        }
        return environment
    }

    func testConfigMapConfigurationLoads() throws {
        let configFile = try writeConfigMapFiles()

        let configuration = try ServiceConfigurationLoader.load(configFile: configFile.path)

        XCTAssertEqual(configuration.groupID, "spectag-tagger")
        XCTAssertEqual(configuration.inputTopic, "news")
        XCTAssertEqual(configuration.role, .tagger)
        XCTAssertEqual(configuration.guarantee, .atLeastOnce)
        XCTAssertEqual(configuration.metricsAddress, "0.0.0.0:9464")
        XCTAssertEqual(configuration.shutdownTimeout, .seconds(30))
        XCTAssertFalse(configuration.createTopics)
        let properties = try configuration.librdkafkaOverrides()
        XCTAssertEqual(properties["security.protocol"], "SASL_SSL")
        XCTAssertEqual(properties["sasl.mechanisms"], "SCRAM-SHA-512")
    }

    func testPodEnvironmentAddsSASLCredentials() throws {
        let configFile = try writeConfigMapFiles()
        let environment = try podEnvironment()

        let configuration = try ServiceConfigurationLoader.load(configFile: configFile.path, environment: environment)
        let properties = try configuration.librdkafkaOverrides()

        XCTAssertEqual(properties["sasl.username"], "placeholder-sasl_username")
        XCTAssertEqual(properties["sasl.password"], "placeholder-sasl_password")
        XCTAssertEqual(properties["security.protocol"], "SASL_SSL", "the file's properties stay under the overrides")
    }

    func testAlertStagePodEnvironmentLoads() throws {
        let configFile = try writeConfigMapFiles()
        let environment = try podEnvironment(ofDeployment: "spectag-alerts")

        let configuration = try ServiceConfigurationLoader.load(configFile: configFile.path, environment: environment)

        XCTAssertEqual(configuration.role, .alerts)
        XCTAssertEqual(configuration.entitySentimentTopic, "news.entity-sentiment")
        XCTAssertEqual(try configuration.librdkafkaOverrides()["sasl.username"], "placeholder-sasl_username")
    }

    // MARK: systemd and compose

    func testSystemdEnvironmentFileLoads() throws {
        let text = try DeployFiles.text(DeployFiles.systemdDirectory.appendingPathComponent("spectag.env"))
        let environment = EnvironmentFile.variables(in: text)

        let configuration = try ServiceConfigurationLoader.load(environment: environment)

        XCTAssertEqual(configuration.brokers.count, 3)
        XCTAssertEqual(configuration.groupID, "spectag-tagger")
        XCTAssertEqual(configuration.role, .tagger)
        XCTAssertEqual(configuration.metricsAddress, "127.0.0.1:9464")
        XCTAssertEqual(configuration.modelPath, "/usr/local/share/spectag/models/spectag-e5-small")
    }

    func testSystemdEnvironmentExamplesLoad() throws {
        let text = try DeployFiles.text(DeployFiles.systemdDirectory.appendingPathComponent("spectag.env"))
        var environment = EnvironmentFile.variables(in: text, includingCommented: true)
        // The commented files do not exist here; the other commented examples must load.
        environment["SPECTAG_CONFIG"] = nil
        environment["SPECTAG_CLIENT_PROPERTIES"] = nil

        let configuration = try ServiceConfigurationLoader.load(environment: environment)

        XCTAssertEqual(configuration.kafkaProperties["sasl.mechanisms"], "SCRAM-SHA-512")
        XCTAssertEqual(configuration.kafkaProperties["security.protocol"], "SASL_SSL")
    }

    func testComposeEnvironmentLoads() throws {
        let compose = try XCTUnwrap(YAMLDocuments.load(DeployFiles.dockerDirectory.appendingPathComponent("compose.yaml")).first)
        let values = try XCTUnwrap(JSONPath.value(compose, "services.spectag.environment") as? [String: Any])
        let environment = values.compactMapValues { $0 as? String }

        let configuration = try ServiceConfigurationLoader.load(environment: environment)

        XCTAssertEqual(environment.count, values.count, "every compose environment value must be a string")
        XCTAssertEqual(configuration.brokers, ["kafka:9092"])
        XCTAssertEqual(configuration.role, .all)
        XCTAssertEqual(configuration.metricsAddress, "0.0.0.0:9464")
    }

    func testInvalidDeploySettingIsRejected() throws {
        // Guards the tests above against a loader that accepts anything.
        XCTAssertThrowsError(try ServiceConfigurationLoader.load(environment: ["SPECTAG_SHUTDOWN_TIMEOUT_MS": "thirty"])) { error in
            XCTAssertTrue("\(error)".contains("SPECTAG_SHUTDOWN_TIMEOUT_MS"), "\(error)")
        }
    }
}
