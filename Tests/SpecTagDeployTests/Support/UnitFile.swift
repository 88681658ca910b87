import Foundation

// MARK: - systemd unit files

/// The entries of a systemd unit file by section, in file order. A key may repeat, as
/// `SystemCallFilter=` does; an empty value (`CapabilityBoundingSet=`) is kept as "".
///
/// Only the syntax the project's unit uses is read: `[Section]` headers, `Key=Value` lines,
/// and `#` or `;` comments. Line continuations are not supported.
struct UnitFile {
    private(set) var sections: [String: [(key: String, value: String)]] = [:]

    /// Parses `text`.
    ///
    /// - Throws: ``DeployTestError`` naming the line number of an entry outside a section or a
    ///   line that is neither a header, an entry nor a comment.
    init(parsing text: String, name: String) throws {
        var section: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") {
                continue
            }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw DeployTestError("\(name):\(index + 1): expected Key=Value, got \"\(line)\"")
            }
            guard let current = section else {
                throw DeployTestError("\(name):\(index + 1): entry before the first [Section]")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current, default: []].append((key, value))
        }
    }

    /// Returns every value of `key` in `section`, in file order.
    func values(_ section: String, _ key: String) -> [String] {
        (sections[section] ?? []).filter { $0.key == key }.map(\.value)
    }

    /// Returns the last value of `key` in `section`, the one systemd applies for single-valued keys.
    func value(_ section: String, _ key: String) -> String? {
        values(section, key).last
    }
}

// MARK: - Environment files

/// The variables of an environment file as systemd's `EnvironmentFile=` and Docker's
/// `--env-file` read it: `NAME=value` lines, `#` comments.
enum EnvironmentFile {
    /// Returns the assigned variables; `commented` also returns those in `#NAME=value` lines.
    static func variables(in text: String, includingCommented commented: Bool = false) -> [String: String] {
        var variables: [String: String] = [:]
        for rawLine in text.split(separator: "\n") {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") {
                guard commented else { continue }
                line = String(line.dropFirst())
            }
            guard let equals = line.firstIndex(of: "="),
                  line[..<equals].allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }),
                  !line[..<equals].isEmpty else {
                continue
            }
            variables[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return variables
    }
}
