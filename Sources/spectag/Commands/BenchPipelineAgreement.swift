import Foundation

// MARK: - Do spectag and the Python baseline tag alike?

/// How often spectag's tagged records and the Python baseline's records agree, message by
/// message: the same entities (text and type, in order) and the same sentiment label.
struct TaggingAgreement {
    /// Messages with a tagging result from both pipelines.
    var compared = 0
    /// Messages that one pipeline tagged and the other did not (a dead letter, an error
    /// record or no record).
    var unmatched = 0
    var entitiesIdentical = 0
    var sentimentIdentical = 0

    /// The entities and sentiment label of one output record.
    struct Tagging: Equatable {
        struct Entity: Equatable {
            var text: String
            var type: String
        }

        var entities: [Entity]
        var sentiment: String

        /// Reads a spectag tagged record (`sentiment.overall.label`) or a Python baseline
        /// record (`sentiment.label`); returns `nil` for a dead letter, an error record or
        /// invalid JSON.
        init?(record: Data) {
            guard let object = try? JSONSerialization.jsonObject(with: record) as? [String: Any],
                  let entities = object["entities"] as? [[String: Any]],
                  let sentiment = object["sentiment"] as? [String: Any] else { return nil }
            let overall = sentiment["overall"] as? [String: Any]
            guard let label = (overall?["label"] ?? sentiment["label"]) as? String else { return nil }
            self.entities = entities.map { Entity(text: $0["text"] as? String ?? "", type: $0["type"] as? String ?? "") }
            self.sentiment = label
        }
    }

    /// Compares the records of every message id in either map.
    init(spectag: [String: Data], python: [String: Data]) {
        for id in Set(spectag.keys).union(python.keys) {
            guard let left = spectag[id].flatMap(Tagging.init(record:)),
                  let right = python[id].flatMap(Tagging.init(record:)) else {
                unmatched += 1
                continue
            }
            compared += 1
            if left.entities == right.entities { entitiesIdentical += 1 }
            if left.sentiment == right.sentiment { sentimentIdentical += 1 }
        }
    }

    /// One line for the report, with shares of the compared messages.
    var summary: String {
        func share(_ count: Int) -> String {
            compared > 0 ? String(format: "%.1f %%", 100 * Double(count) / Double(compared)) : "n/a"
        }
        return "\(compared) messages compared: entities (text, type) identical in \(share(entitiesIdentical)) (\(entitiesIdentical)), "
            + "sentiment label identical in \(share(sentimentIdentical)) (\(sentimentIdentical)); "
            + "\(unmatched) messages without a result from both"
    }
}
