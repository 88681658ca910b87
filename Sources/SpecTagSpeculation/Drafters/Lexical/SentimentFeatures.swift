// MARK: - Sentiment features

/// The bag-of-words features of the sentiment classifier: a bias, lowercased unigrams and
/// lowercased bigrams, each counted once per sentence.
enum SentimentFeatures {
    static func names(of words: [String]) -> [String] {
        let lowercased = words.map { $0.lowercased() }
        var names = ["bias"]
        names.reserveCapacity(1 + 2 * lowercased.count)
        for word in lowercased { names.append("u=\(word)") }
        for (first, second) in zip(lowercased, lowercased.dropFirst()) { names.append("b=\(first) \(second)") }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
