// MARK: - Scoring

extension LexicalDrafter {
    /// Tag accuracies of the drafter on tagged sentences.
    public struct TagAccuracy: Sendable, Equatable {
        /// The share of words whose tag the drafter proposes when every tag before it is
        /// correct, which is what draft acceptance depends on.
        public var nextTag: Double
        /// The share of words tagged correctly when the drafter tags each sentence on its own.
        public var greedy: Double
        public var wordCount: Int
    }

    /// Scores the tagger against tag names; returns zeros for no words.
    ///
    /// - Throws: `LexicalDrafterError.invalidTrainingData` for a tag outside `tags` or a tag
    ///   count that differs from the word count.
    public func tagAccuracy(on sentences: [LexicalDrafterTrainer.NERSentence]) throws -> TagAccuracy {
        let ids = Dictionary(uniqueKeysWithValues: tags.enumerated().map { ($1, $0) })
        let converted = try sentences.enumerated().map { index, sentence in
            guard sentence.words.count == sentence.tags.count else {
                throw LexicalDrafterError.invalidTrainingData(
                    "evaluation sentence \(index + 1) has \(sentence.words.count) words but \(sentence.tags.count) tags")
            }
            let tagIDs = try sentence.tags.map { tag in
                guard let id = ids[tag] else {
                    throw LexicalDrafterError.invalidTrainingData("evaluation sentence \(index + 1) has the tag '\(tag)', which is not in \(tags)")
                }
                return id
            }
            return (words: sentence.words, tags: tagIDs)
        }
        return tagAccuracy(onIDs: converted)
    }

    func tagAccuracy(onIDs sentences: [(words: [String], tags: [Int])]) -> TagAccuracy {
        var nextTagHits = 0
        var greedyHits = 0
        var total = 0
        for sentence in sentences {
            var session = makeSession(words: sentence.words)
            for position in sentence.tags.indices {
                let accepted = Array(sentence.tags[..<position])
                if session.draft(acceptedTags: accepted, count: 1).first == sentence.tags[position] { nextTagHits += 1 }
            }
            let greedy = session.draft(acceptedTags: [], count: sentence.words.count)
            greedyHits += zip(greedy, sentence.tags).filter { $0 == $1 }.count
            total += sentence.tags.count
        }
        let count = Double(max(total, 1))
        return TagAccuracy(nextTag: Double(nextTagHits) / count, greedy: Double(greedyHits) / count, wordCount: total)
    }

    /// Returns a copy whose metadata also has `entries`, which replace equal keys.
    public func addingMetadata(_ entries: [String: String]) -> LexicalDrafter {
        withMetadata(metadata.merging(entries) { _, new in new })
    }
}
