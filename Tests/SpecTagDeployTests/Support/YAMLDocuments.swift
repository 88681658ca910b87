import Foundation
import XCTest

// MARK: - YAML through PyYAML

/// Parses YAML files with PyYAML's `safe_load_all`, run through `python3`, because Swift has no
/// YAML parser among the packages this project may use.
///
/// Each file becomes an array of its documents as Foundation JSON values (`[String: Any]`,
/// `[Any]`, `String`, `NSNumber`, `NSNull`).
enum YAMLDocuments {
    /// Exit status of the script when `import yaml` fails.
    private static let missingPyYAMLStatus: Int32 = 3

    private static let script = """
        import json, sys
        try:
            import yaml
        except ImportError:
            sys.exit(3)
        files = {}
        for path in sys.argv[1:]:
            try:
                with open(path, encoding="utf-8") as handle:
                    files[path] = list(yaml.safe_load_all(handle))
            except (OSError, yaml.YAMLError) as error:
                print(f"{path}: {error}", file=sys.stderr)
                sys.exit(1)
        json.dump(files, sys.stdout, default=str)
        """

    /// Parses `files` and returns their documents by path.
    ///
    /// - Throws: `XCTSkip` when python3 or PyYAML is missing (a failure under `CI=true`), and
    ///   ``DeployTestError`` naming the file when one is not valid YAML.
    static func load(_ files: [URL]) throws -> [String: [Any]] {
        guard let python = ExternalTool.find("python3") else {
            throw ExternalTool.missing("python3 is not on PATH; the deploy tests parse YAML with it")
        }
        let output = try ExternalTool.run(python, ["-c", script] + files.map(\.path))
        if output.status == missingPyYAMLStatus {
            throw ExternalTool.missing("PyYAML is not installed for \(python.path): run scripts/setup or pip install pyyaml")
        }
        guard output.status == 0 else {
            throw DeployTestError("YAML parsing failed (python3 exit status \(output.status)): \(output.standardError)")
        }
        guard let parsed = try JSONSerialization.jsonObject(with: output.standardOutput) as? [String: [Any]] else {
            throw DeployTestError("python3 printed something other than a JSON object of document lists")
        }
        return parsed
    }

    /// Returns the documents of one file.
    static func load(_ file: URL) throws -> [Any] {
        guard let documents = try load([file])[file.path] else {
            throw DeployTestError("no documents returned for \(file.path)")
        }
        return documents
    }
}

// MARK: - Kubernetes objects

/// The Kubernetes objects of `deploy/kubernetes`. Each call parses the files again.
enum KubernetesManifests {
    /// Returns every object of every `.yaml` file in `deploy/kubernetes`, with the file it came from.
    static func objects() throws -> [(file: String, object: [String: Any])] {
        let directory = DeployFiles.kubernetesDirectory
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.path < $1.path }
        let documents = try YAMLDocuments.load(files)
        var objects: [(file: String, object: [String: Any])] = []
        for file in files {
            for document in documents[file.path] ?? [] {
                guard let object = document as? [String: Any] else {
                    throw DeployTestError("\(file.lastPathComponent): a document is not a mapping")
                }
                objects.append((file.lastPathComponent, object))
            }
        }
        return objects
    }

    /// Returns the one object of `kind`, optionally with `name`.
    ///
    /// - Throws: ``DeployTestError`` when there is none or more than one.
    static func object(kind: String, name: String? = nil) throws -> [String: Any] {
        let matches = try objects().map(\.object).filter { object in
            object["kind"] as? String == kind && (name == nil || JSONPath.string(object, "metadata.name") == name)
        }
        guard matches.count == 1, let match = matches.first else {
            throw DeployTestError("expected one \(kind)\(name.map { " named \($0)" } ?? "") in deploy/kubernetes, found \(matches.count)")
        }
        return match
    }

    /// Returns the `spectag serve` JSON configuration inside the ConfigMap `spectag-config`.
    static func serviceConfiguration() throws -> [String: Any] {
        let configMap = try object(kind: "ConfigMap", name: "spectag-config")
        guard let text = JSONPath.string(configMap, "data.config\\.json") else {
            throw DeployTestError("ConfigMap spectag-config has no data key config.json")
        }
        guard let configuration = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw DeployTestError("config.json in ConfigMap spectag-config is not a JSON object")
        }
        return configuration
    }

    /// Returns the first container of the Deployment `spectag-tagger`.
    static func taggerContainer() throws -> [String: Any] {
        try container(ofDeployment: "spectag-tagger")
    }

    /// Returns the first container of the Deployment `name`.
    static func container(ofDeployment name: String) throws -> [String: Any] {
        let deployment = try object(kind: "Deployment", name: name)
        guard let containers = JSONPath.value(deployment, "spec.template.spec.containers") as? [[String: Any]],
              let container = containers.first else {
            throw DeployTestError("Deployment \(name) has no containers")
        }
        return container
    }
}

// MARK: - Paths into parsed JSON

/// Reads values from parsed JSON by dotted paths such as `spec.template.metadata.labels`.
/// A key that contains a dot is written with a backslash: `data.config\.json`.
enum JSONPath {
    static func value(_ root: Any, _ path: String) -> Any? {
        var current: Any? = root
        for key in split(path) {
            guard let object = current as? [String: Any] else { return nil }
            current = object[key]
        }
        return current
    }

    static func string(_ root: Any, _ path: String) -> String? {
        value(root, path) as? String
    }

    static func integer(_ root: Any, _ path: String) -> Int? {
        (value(root, path) as? NSNumber)?.intValue
    }

    static func bool(_ root: Any, _ path: String) -> Bool? {
        (value(root, path) as? NSNumber)?.boolValue
    }

    private static func split(_ path: String) -> [String] {
        var keys: [String] = []
        var current = ""
        var escaped = false
        for character in path {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "." {
                keys.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        keys.append(current)
        return keys
    }
}
