import Foundation

/// A reader of sample values in the Prometheus text exposition format that a `/metrics`
/// endpoint serves.
public enum PrometheusSamples {
    /// Returns the sum of the samples of `name` whose labels include `labels`, or 0 when none
    /// matches. Comment lines and samples of other metrics whose names start with `name` are
    /// skipped.
    ///
    /// NOTE: label values containing `,` or `}` are not parsed; spectag's topic, direction and
    /// partition labels never contain them.
    public static func sum(of name: String, labels: [String: String], in text: String) -> Double {
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
