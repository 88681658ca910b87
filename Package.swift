// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "spectag",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "spectag", targets: ["spectag"]),
    ],
    targets: [
        // MARK: C libraries from Debian packages

        // OpenBLAS (libopenblas-dev): cblas_sgemm and friends.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        // librdkafka (librdkafka-dev): the Kafka client.
        .systemLibrary(name: "CRdKafka", path: "Sources/CRdKafka", pkgConfig: "rdkafka"),

        // MARK: Support

        .target(name: "SpecTagLogging"),
        .target(name: "SpecTagArguments"),
        // Prometheus metrics and the /metrics, /healthz, /readyz HTTP endpoint.
        .target(name: "SpecTagMetrics", dependencies: ["SpecTagLogging"]),
        // Child processes with a clean signal mask, free ports, HTTP GET and /metrics samples
        // on 127.0.0.1, deadlines: shared by `spectag bench pipeline` and the process-level tests.
        .target(name: "SpecTagLocalProcess"),

        // MARK: One module per concept

        .target(name: "SpecTagTokenization"),
        .target(name: "SpecTagModels", dependencies: ["CBLAS", "SpecTagTokenization"]),
        .target(name: "SpecTagSpeculation", dependencies: ["SpecTagModels", "SpecTagTokenization"]),
        .target(name: "SpecTagEvaluation"),
        .target(name: "SpecTagKafka", dependencies: ["CRdKafka", "SpecTagLogging"]),
        .target(
            name: "SpecTagStreaming",
            dependencies: ["SpecTagKafka", "SpecTagSpeculation", "SpecTagLogging", "SpecTagMetrics", "SpecTagAlerts"]
        ),
        // Sliding-window entity sentiment monitoring and alert rules.
        .target(name: "SpecTagAlerts", dependencies: ["SpecTagKafka", "SpecTagLogging", "SpecTagMetrics"]),

        // MARK: Command-line front end

        .executableTarget(
            name: "spectag",
            dependencies: [
                "SpecTagArguments", "SpecTagLogging", "SpecTagTokenization", "SpecTagModels",
                "SpecTagSpeculation", "SpecTagEvaluation", "SpecTagKafka", "SpecTagStreaming",
                "SpecTagMetrics", "SpecTagAlerts", "SpecTagLocalProcess",
            ]
        ),

        // MARK: Tests

        .testTarget(name: "SpecTagArgumentsTests", dependencies: ["SpecTagArguments"]),
        .testTarget(name: "SpecTagLoggingTests", dependencies: ["SpecTagLogging"]),
        .testTarget(name: "SpecTagMetricsTests", dependencies: ["SpecTagMetrics"]),
        .testTarget(
            name: "SpecTagTokenizationTests",
            dependencies: ["SpecTagTokenization"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SpecTagModelsTests",
            dependencies: ["SpecTagModels", "SpecTagTokenization"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SpecTagSpeculationTests",
            dependencies: ["SpecTagSpeculation", "SpecTagModels", "SpecTagEvaluation"]
        ),
        .testTarget(
            name: "SpecTagEvaluationTests",
            dependencies: ["SpecTagEvaluation"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SpecTagLocalProcessTests", dependencies: ["SpecTagLocalProcess"]),
        .testTarget(name: "SpecTagKafkaTests", dependencies: ["SpecTagKafka", "SpecTagLocalProcess"]),
        .testTarget(name: "SpecTagStreamingTests", dependencies: ["SpecTagStreaming"]),
        .testTarget(name: "SpecTagAlertsTests", dependencies: ["SpecTagAlerts"]),
        // Runs the built spectag executable end to end.
        .testTarget(
            name: "SpecTagCLITests",
            dependencies: ["SpecTagEvaluation", "SpecTagLocalProcess"],
            resources: [.copy("Fixtures")]
        ),
        // Checks the files under deploy/ (Kubernetes, systemd, Docker) and loads their settings.
        .testTarget(name: "SpecTagDeployTests", dependencies: ["SpecTagStreaming"]),
        // Tests against a real broker (Tansu) that the tests start on 127.0.0.1.
        .testTarget(
            name: "SpecTagIntegrationTests",
            dependencies: ["SpecTagKafka", "SpecTagStreaming", "SpecTagAlerts", "SpecTagLocalProcess"]
        ),
    ]
)
