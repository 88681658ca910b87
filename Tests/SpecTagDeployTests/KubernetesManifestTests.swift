import Foundation
import XCTest

/// Structural checks of `deploy/kubernetes`: the manifests agree with each other, with the
/// `spectag serve` configuration in the ConfigMap and with the partition count in
/// docs/deployment.md.
final class KubernetesManifestTests: XCTestCase {
    // MARK: Parsing

    func testEveryDeployYAMLFileParses() throws {
        let files = try DeployFiles.yamlFiles()
        XCTAssertFalse(files.isEmpty, "no YAML files under \(DeployFiles.deployDirectory.path)")
        let documents = try YAMLDocuments.load(files)
        for file in files {
            let fileDocuments = documents[file.path] ?? []
            XCTAssertFalse(fileDocuments.isEmpty, "\(file.path) has no YAML document")
            for document in fileDocuments {
                XCTAssertTrue(document is [String: Any], "\(file.path): every document must be a mapping")
            }
        }
    }

    func testEveryObjectHasKindAndName() throws {
        for (file, object) in try KubernetesManifests.objects() {
            XCTAssertNotNil(object["apiVersion"] as? String, "\(file): apiVersion missing")
            XCTAssertNotNil(object["kind"] as? String, "\(file): kind missing")
            if object["kind"] as? String != "Kustomization" {
                XCTAssertNotNil(JSONPath.string(object, "metadata.name"), "\(file): metadata.name missing")
            }
        }
    }

    func testKustomizationListsAppliedManifests() throws {
        let kustomization = try KubernetesManifests.object(kind: "Kustomization")
        let resources = try XCTUnwrap(kustomization["resources"] as? [String])
        let files = try FileManager.default.contentsOfDirectory(atPath: DeployFiles.kubernetesDirectory.path)
            .filter { $0.hasSuffix(".yaml") }
        let expected = Set(files).subtracting(["kustomization.yaml", "secret.example.yaml"])

        XCTAssertEqual(Set(resources), expected)
        XCTAssertFalse(resources.contains("secret.example.yaml"), "the placeholder Secret must not be applied")
    }

    // MARK: Deployment and configuration

    func testProbesUseServedHealthPaths() throws {
        let container = try KubernetesManifests.taggerContainer()

        XCTAssertEqual(JSONPath.string(container, "livenessProbe.httpGet.path"), "/healthz")
        XCTAssertEqual(JSONPath.string(container, "readinessProbe.httpGet.path"), "/readyz")
        XCTAssertEqual(JSONPath.string(container, "startupProbe.httpGet.path"), "/healthz")
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            XCTAssertEqual(JSONPath.string(container, "\(probe).httpGet.port"), "metrics", "\(probe) must use the metrics port")
        }
    }

    func testContainerPortEqualsConfiguredMetricsPort() throws {
        let container = try KubernetesManifests.taggerContainer()
        let configuration = try KubernetesManifests.serviceConfiguration()
        let address = try XCTUnwrap(configuration["metrics_address"] as? String)
        let parts = address.split(separator: ":")
        let ports = try XCTUnwrap(container["ports"] as? [[String: Any]])
        let metricsPort = try XCTUnwrap(ports.first { $0["name"] as? String == "metrics" })

        XCTAssertEqual(parts.count, 2, "metrics_address \(address) must be host:port")
        XCTAssertEqual(parts.first, "0.0.0.0", "in a pod the metrics server must listen on every interface")
        XCTAssertEqual((metricsPort["containerPort"] as? NSNumber)?.intValue, parts.last.flatMap { Int($0) })
    }

    func testPrometheusAnnotationsMatchMetricsPort() throws {
        let deployment = try KubernetesManifests.object(kind: "Deployment", name: "spectag-tagger")
        let annotations = try XCTUnwrap(JSONPath.value(deployment, "spec.template.metadata.annotations") as? [String: String])
        let configuration = try KubernetesManifests.serviceConfiguration()
        let port = try XCTUnwrap((configuration["metrics_address"] as? String)?.split(separator: ":").last)

        XCTAssertEqual(annotations["prometheus.io/scrape"], "true")
        XCTAssertEqual(annotations["prometheus.io/path"], "/metrics")
        XCTAssertEqual(annotations["prometheus.io/port"], String(port))
    }

    func testReplicasDoNotExceedDocumentedPartitions() throws {
        let partitions = try DeployFiles.documentedPartitionCount()
        let deployment = try KubernetesManifests.object(kind: "Deployment", name: "spectag-tagger")
        let scaledObject = try KubernetesManifests.object(kind: "ScaledObject", name: "spectag-tagger")
        let replicas = try XCTUnwrap(JSONPath.integer(deployment, "spec.replicas"))
        let minimum = try XCTUnwrap(JSONPath.integer(scaledObject, "spec.minReplicaCount"))
        let maximum = try XCTUnwrap(JSONPath.integer(scaledObject, "spec.maxReplicaCount"))

        XCTAssertLessThanOrEqual(replicas, partitions)
        XCTAssertLessThanOrEqual(maximum, partitions, "pods beyond the partition count stay idle")
        XCTAssertGreaterThanOrEqual(minimum, 1, "a group without members does not read new messages")
        XCTAssertLessThanOrEqual(minimum, replicas)
        XCTAssertLessThanOrEqual(replicas, maximum)
    }

    func testRollingUpdateReplacesOnePodWithoutSurge() throws {
        let deployment = try KubernetesManifests.object(kind: "Deployment", name: "spectag-tagger")

        XCTAssertEqual(JSONPath.string(deployment, "spec.strategy.type"), "RollingUpdate")
        XCTAssertEqual(JSONPath.integer(deployment, "spec.strategy.rollingUpdate.maxSurge"), 0)
        XCTAssertEqual(JSONPath.integer(deployment, "spec.strategy.rollingUpdate.maxUnavailable"), 1)
    }

    func testGracePeriodCoversShutdownTimeout() throws {
        let deployment = try KubernetesManifests.object(kind: "Deployment", name: "spectag-tagger")
        let configuration = try KubernetesManifests.serviceConfiguration()
        let grace = try XCTUnwrap(JSONPath.integer(deployment, "spec.template.spec.terminationGracePeriodSeconds"))
        let shutdownMilliseconds = try XCTUnwrap((configuration["shutdown_timeout_ms"] as? NSNumber)?.intValue)

        // The drain may use all of shutdown_timeout_ms; the final commit and leaving the group need more.
        XCTAssertGreaterThanOrEqual(grace * 1000, shutdownMilliseconds + 10_000)
    }

    func testContainerSecurityContextIsRestricted() throws {
        let deployment = try KubernetesManifests.object(kind: "Deployment", name: "spectag-tagger")
        let container = try KubernetesManifests.taggerContainer()

        XCTAssertEqual(JSONPath.bool(deployment, "spec.template.spec.securityContext.runAsNonRoot"), true)
        XCTAssertEqual(JSONPath.string(deployment, "spec.template.spec.securityContext.seccompProfile.type"), "RuntimeDefault")
        XCTAssertEqual(JSONPath.bool(container, "securityContext.runAsNonRoot"), true)
        XCTAssertEqual(JSONPath.bool(container, "securityContext.readOnlyRootFilesystem"), true)
        XCTAssertEqual(JSONPath.bool(container, "securityContext.allowPrivilegeEscalation"), false)
        XCTAssertEqual(JSONPath.value(container, "securityContext.capabilities.drop") as? [String], ["ALL"])
    }

    func testResourcesHaveRequestsAndLimits() throws {
        let container = try KubernetesManifests.taggerContainer()

        for path in ["resources.requests.cpu", "resources.requests.memory", "resources.limits.cpu", "resources.limits.memory"] {
            XCTAssertNotNil(JSONPath.value(container, path), "\(path) is missing")
        }
    }

    func testOpenBLASThreadsMatchCPULimit() throws {
        let container = try KubernetesManifests.taggerContainer()
        let environment = try XCTUnwrap(container["env"] as? [[String: Any]])
        let threads = environment.first { $0["name"] as? String == "OPENBLAS_NUM_THREADS" }?["value"] as? String
        let limit = JSONPath.value(container, "resources.limits.cpu").map { "\($0)" }

        XCTAssertNotNil(threads, "without OPENBLAS_NUM_THREADS, OpenBLAS starts a thread per node core")
        XCTAssertEqual(threads, limit)
    }

    func testConfigurationUsesMountedFiles() throws {
        let configuration = try KubernetesManifests.serviceConfiguration()
        let container = try KubernetesManifests.taggerContainer()
        let mounts = try XCTUnwrap(container["volumeMounts"] as? [[String: Any]])
        let configMount = try XCTUnwrap(mounts.first { $0["name"] as? String == "config" }?["mountPath"] as? String)
        let arguments = try XCTUnwrap(container["args"] as? [String])

        XCTAssertEqual(arguments, ["--config", configMount + "/config.json"])
        XCTAssertEqual(configuration["client_properties"] as? String, configMount + "/client.properties")
    }

    // MARK: Credentials

    func testSASLCredentialsComeFromSecretReferences() throws {
        let container = try KubernetesManifests.taggerContainer()
        let environment = try XCTUnwrap(container["env"] as? [[String: Any]])
        let credentialVariables = environment.filter { ($0["name"] as? String)?.hasPrefix("SASL_") == true }

        XCTAssertEqual(credentialVariables.count, 2)
        for variable in credentialVariables {
            XCTAssertNil(variable["value"], "\(variable["name"] ?? "?") must not have a literal value")
            XCTAssertEqual(JSONPath.string(variable, "valueFrom.secretKeyRef.name"), "spectag-kafka-credentials")
        }
        let properties = environment.first { $0["name"] as? String == "SPECTAG_KAFKA_PROPERTIES" }?["value"] as? String
        XCTAssertEqual(properties, "sasl.username=$(SASL_USERNAME);sasl.password=$(SASL_PASSWORD)")
    }

    func testNoAppliedManifestContainsASecret() throws {
        let kustomization = try KubernetesManifests.object(kind: "Kustomization")
        let resources = Set(try XCTUnwrap(kustomization["resources"] as? [String]))

        for (file, object) in try KubernetesManifests.objects() where resources.contains(file) {
            XCTAssertNotEqual(object["kind"] as? String, "Secret", "\(file) would apply a Secret")
        }
        let configMap = try KubernetesManifests.object(kind: "ConfigMap", name: "spectag-config")
        let properties = try XCTUnwrap(JSONPath.string(configMap, "data.client\\.properties"))
        let keys = properties.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.hasPrefix("#") }
            .compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) }
        XCTAssertFalse(keys.contains("sasl.password"), "client.properties in the ConfigMap must not contain a password")
        XCTAssertFalse(keys.contains("sasl.username"), "client.properties in the ConfigMap must not contain a user name")
        let configuration = try KubernetesManifests.serviceConfiguration()
        let kafkaProperties = configuration["kafka_properties"] as? [String: Any] ?? [:]
        XCTAssertNil(kafkaProperties["sasl.password"], "config.json in the ConfigMap must not contain a password")
    }

    // MARK: Scaling and monitoring

    func testKEDATriggerMatchesConfiguration() throws {
        let scaledObject = try KubernetesManifests.object(kind: "ScaledObject", name: "spectag-tagger")
        let configuration = try KubernetesManifests.serviceConfiguration()
        let triggers = try XCTUnwrap(JSONPath.value(scaledObject, "spec.triggers") as? [[String: Any]])
        let trigger = try XCTUnwrap(triggers.first)
        let brokers = try XCTUnwrap(configuration["brokers"] as? [String])

        XCTAssertEqual(triggers.count, 1)
        XCTAssertEqual(trigger["type"] as? String, "kafka")
        XCTAssertEqual(JSONPath.string(trigger, "metadata.consumerGroup"), configuration["group_id"] as? String)
        XCTAssertEqual(JSONPath.string(trigger, "metadata.topic"), configuration["input_topic"] as? String)
        XCTAssertEqual(JSONPath.string(trigger, "metadata.bootstrapServers"), brokers.joined(separator: ","))
        XCTAssertEqual(JSONPath.string(trigger, "metadata.offsetResetPolicy"), configuration["auto_offset_reset"] as? String)
        XCTAssertEqual(JSONPath.string(trigger, "metadata.allowIdleConsumers"), "false")
        XCTAssertNotNil(JSONPath.string(trigger, "metadata.lagThreshold").flatMap { Int($0) }, "lagThreshold must be an integer string")
        XCTAssertEqual(JSONPath.string(scaledObject, "spec.scaleTargetRef.name"), "spectag-tagger")
    }

    func testKEDAAuthenticationUsesTheSameSecret() throws {
        let authentication = try KubernetesManifests.object(kind: "TriggerAuthentication", name: "spectag-kafka-auth")
        let references = try XCTUnwrap(JSONPath.value(authentication, "spec.secretTargetRef") as? [[String: Any]])

        XCTAssertEqual(Set(references.compactMap { $0["parameter"] as? String }), ["username", "password"])
        for reference in references {
            XCTAssertEqual(reference["name"] as? String, "spectag-kafka-credentials")
        }
    }

    func testSelectorsMatchTheirPods() throws {
        let tagger = try KubernetesManifests.object(kind: "Deployment", name: "spectag-tagger")
        let alerts = try KubernetesManifests.object(kind: "Deployment", name: "spectag-alerts")
        let taggerLabels = try XCTUnwrap(JSONPath.value(tagger, "spec.template.metadata.labels") as? [String: String])
        let alertsLabels = try XCTUnwrap(JSONPath.value(alerts, "spec.template.metadata.labels") as? [String: String])
        let service = try KubernetesManifests.object(kind: "Service")
        let monitor = try KubernetesManifests.object(kind: "ServiceMonitor")
        let budget = try KubernetesManifests.object(kind: "PodDisruptionBudget")
        let serviceLabels = try XCTUnwrap(JSONPath.value(service, "metadata.labels") as? [String: String])
        func selects(_ selector: [String: String], _ labels: [String: String]) -> Bool {
            selector.allSatisfy { labels[$0.key] == $0.value }
        }

        let serviceSelector = try XCTUnwrap(JSONPath.value(service, "spec.selector") as? [String: String])
        XCTAssertTrue(selects(serviceSelector, taggerLabels), "the Service misses the tagger pods")
        XCTAssertTrue(selects(serviceSelector, alertsLabels), "the Service misses the alert stage pods")
        let budgetSelector = try XCTUnwrap(JSONPath.value(budget, "spec.selector.matchLabels") as? [String: String])
        XCTAssertTrue(selects(budgetSelector, taggerLabels), "the PodDisruptionBudget misses the tagger pods")
        XCTAssertFalse(selects(budgetSelector, alertsLabels), "the PodDisruptionBudget must not count the alert stage")
        for deployment in [tagger, alerts] {
            let selector = try XCTUnwrap(JSONPath.value(deployment, "spec.selector.matchLabels") as? [String: String])
            let ownLabels = try XCTUnwrap(JSONPath.value(deployment, "spec.template.metadata.labels") as? [String: String])
            XCTAssertTrue(selects(selector, ownLabels))
        }
        XCTAssertFalse(selects(try XCTUnwrap(JSONPath.value(tagger, "spec.selector.matchLabels") as? [String: String]), alertsLabels),
                       "the tagger Deployment must not adopt the alert stage pods")
        let monitorSelector = try XCTUnwrap(JSONPath.value(monitor, "spec.selector.matchLabels") as? [String: String])
        XCTAssertTrue(selects(monitorSelector, serviceLabels), "the ServiceMonitor misses the Service")
    }

    func testAlertStageDeploymentRunsRoleAlerts() throws {
        let deployment = try KubernetesManifests.object(kind: "Deployment", name: "spectag-alerts")
        let container = try KubernetesManifests.container(ofDeployment: "spectag-alerts")
        let environment = try XCTUnwrap(container["env"] as? [[String: Any]])
        let role = environment.first { $0["name"] as? String == "SPECTAG_ROLE" }?["value"] as? String
        let configuration = try KubernetesManifests.serviceConfiguration()
        let shutdownMilliseconds = try XCTUnwrap((configuration["shutdown_timeout_ms"] as? NSNumber)?.intValue)
        let grace = try XCTUnwrap(JSONPath.integer(deployment, "spec.template.spec.terminationGracePeriodSeconds"))

        XCTAssertEqual(role, "alerts")
        XCTAssertEqual(container["args"] as? [String], ["--config", "/etc/spectag/config.json"])
        XCTAssertEqual(JSONPath.string(container, "livenessProbe.httpGet.path"), "/healthz")
        XCTAssertEqual(JSONPath.string(container, "readinessProbe.httpGet.path"), "/readyz")
        XCTAssertEqual(JSONPath.integer(deployment, "spec.strategy.rollingUpdate.maxSurge"), 0)
        XCTAssertGreaterThanOrEqual(grace * 1000, shutdownMilliseconds + 10_000)
        XCTAssertEqual(JSONPath.bool(container, "securityContext.readOnlyRootFilesystem"), true)
        XCTAssertEqual(JSONPath.value(container, "securityContext.capabilities.drop") as? [String], ["ALL"])
        XCTAssertEqual(JSONPath.bool(deployment, "spec.template.spec.securityContext.runAsNonRoot"), true)
    }

    func testServiceMonitorScrapesMetricsPort() throws {
        let service = try KubernetesManifests.object(kind: "Service")
        let monitor = try KubernetesManifests.object(kind: "ServiceMonitor")
        let servicePorts = try XCTUnwrap(JSONPath.value(service, "spec.ports") as? [[String: Any]])
        let endpoints = try XCTUnwrap(JSONPath.value(monitor, "spec.endpoints") as? [[String: Any]])
        let endpoint = try XCTUnwrap(endpoints.first)
        let port = try XCTUnwrap(servicePorts.first { $0["name"] as? String == endpoint["port"] as? String })

        XCTAssertEqual(endpoint["path"] as? String, "/metrics")
        XCTAssertEqual(port["targetPort"] as? String, "metrics")
    }

    func testDisruptionBudgetAllowsOnePodDown() throws {
        let budget = try KubernetesManifests.object(kind: "PodDisruptionBudget")

        XCTAssertEqual(JSONPath.integer(budget, "spec.maxUnavailable"), 1)
        XCTAssertEqual(JSONPath.string(budget, "spec.unhealthyPodEvictionPolicy"), "AlwaysAllow")
    }
}
