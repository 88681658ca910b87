import Foundation

// MARK: - Prometheus text format

/// Reads sample values from the Prometheus text exposition format that `/metrics` serves.
enum PrometheusSamples {
    /// Returns the sum of the samples of `name` whose labels include `labels`, 0 when none does.
    ///
    /// NOTE: label values containing `,` or `}` are not parsed; spectag's topic and direction
    /// labels never contain them.
    static func sum(of name: String, labels: [String: String], in text: String) -> Double {
        var total = 0.0
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let rest = line.dropFirst(name.count)
            var sampleLabels: [String: String] = [:]
            var valueText = rest
            if rest.first == "{", let close = rest.firstIndex(of: "}") {
                for pair in rest[rest.index(after: rest.startIndex)..<close].split(separator: ",") {
                    let keyValue = pair.split(separator: "=", maxSplits: 1)
                    guard keyValue.count == 2 else { continue }
                    sampleLabels[String(keyValue[0])] = keyValue[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
                valueText = rest[rest.index(after: close)...]
            } else if rest.first != " " {
                continue
            }
            guard labels.allSatisfy({ sampleLabels[$0.key] == $0.value }),
                  let value = valueText.split(separator: " ").first.flatMap({ Double($0) }) else { continue }
            total += value
        }
        return total
    }
}
