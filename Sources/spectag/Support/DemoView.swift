import Foundation

/// Turns the records the demo reads back into lines for a person, and adds up the summary.
struct DemoView {
    var tagged = 0
    var deadLetters = 0
    var alerts = 0
    var draftTokens = 0
    var acceptedTokens = 0
    var targetPasses = 0
    var lastOutput: ContinuousClock.Instant?
    let useColor: Bool

    init(useColor: Bool) {
        self.useColor = useColor
    }

    /// Returns the lines that show one record of `topic`, and counts it.
    mutating func render(topic: String, value: Data?, topics: DemoTopics) -> [String] {
        lastOutput = .now
        guard let value, let record = (try? JSONSerialization.jsonObject(with: value)) as? [String: Any] else {
            return ["? unreadable record on \(topic)"]
        }
        switch topic {
        case topics.tagged: return renderTagged(record)
        case topics.deadLetter: return renderDeadLetter(record)
        default: return renderAlert(record)
        }
    }

    private mutating func renderTagged(_ record: [String: Any]) -> [String] {
        tagged += 1
        let speculative = record["speculative"] as? [String: Any] ?? [:]
        draftTokens += speculative["draft_tokens"] as? Int ?? 0
        acceptedTokens += speculative["accepted_tokens"] as? Int ?? 0
        targetPasses += speculative["target_passes"] as? Int ?? 0
        let overall = (record["sentiment"] as? [String: Any])?["overall"] as? [String: Any] ?? [:]
        let label = overall["label"] as? String ?? "?"
        let probability = (overall["probabilities"] as? [String: Any])?[label] as? Double ?? 0
        let entities = (record["entities"] as? [[String: Any]] ?? []).map { "\($0["text"] as? String ?? "?") [\($0["type"] as? String ?? "?")]" }
        let id = record["id"] as? String ?? "?"
        let headline = record["headline"] as? String ?? "(body only)"
        return [
            "\(paint(label.padding(toLength: 8, withPad: " ", startingAt: 0) + String(format: " %.2f", probability), for: label))    \(id)  \(headline)",
            "                 entities: " + (entities.isEmpty ? "none" : entities.joined(separator: ", ")),
        ]
    }

    private mutating func renderDeadLetter(_ record: [String: Any]) -> [String] {
        deadLetters += 1
        let code = record["error_code"] as? String ?? "?"
        let message = record["error_message"] as? String ?? ""
        let original = record["original"] as? [String: Any] ?? [:]
        let position = "partition \(original["partition"] as? Int ?? -1) offset \(original["offset"] as? Int ?? -1)"
        return [paint("DEAD LETTER", for: "negative") + "      \(position): \(code): \(message.prefix(120))"]
    }

    private mutating func renderAlert(_ record: [String: Any]) -> [String] {
        alerts += 1
        let rule = record["rule"] as? String ?? "?"
        let summary = record["summary"] as? String ?? ""
        return [paint("ALERT", for: "alert") + "            \(rule): \(record["entity"] as? String ?? "?") [\(record["entity_type"] as? String ?? "?")]: \(summary)"]
    }

    private func paint(_ text: String, for label: String) -> String {
        guard useColor else { return text }
        let code = switch label {
        case "negative": "31"
        case "positive": "32"
        case "alert": "1;33"
        default: "37"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

/// The topic names the demo service uses.
struct DemoTopics {
    var input = "news"
    var tagged = "news.tagged"
    var deadLetter = "news.dead-letter"
    var alerts = "news.alerts"
}
