import SpecTagTokenization

// MARK: - Gazetteer

/// Entity strings learned from tagged sentences: each lowercased entity (one word or several
/// joined by single spaces) with the set of entity types it was tagged with.
struct Gazetteer: Sendable, Equatable {
    /// Entity types, such as `PER`; bit `i` of a mask is `types[i]`.
    let types: [String]
    /// The type mask of each lowercased entity string.
    let entries: [String: UInt8]
    /// The type mask of each lowercased word that occurred inside an entity.
    let entityWords: [String: UInt8]
    /// Every proper prefix of a multi-word entry, cut at word boundaries, so that matching
    /// stops as soon as no entry can continue.
    let prefixes: Set<String>

    /// The maximum number of entity types, because masks are 8 bits.
    static let maximumTypeCount = 8

    init(types: [String], entries: [String: UInt8], entityWords: [String: UInt8]) {
        self.types = types
        self.entries = entries
        self.entityWords = entityWords
        var prefixes = Set<String>()
        for entry in entries.keys {
            var end = entry.startIndex
            while let space = entry[end...].firstIndex(of: " ") {
                prefixes.insert(String(entry[..<space]))
                end = entry.index(after: space)
            }
        }
        self.prefixes = prefixes
    }

    /// Collects the entities of sentences tagged in BIO (IOB2) with tag ids.
    ///
    /// - Parameters:
    ///   - tagTypes: the entity type index of each tag id and whether it begins an entity,
    ///     or nil for `O` and tags outside the scheme.
    ///   - maximumWords: longer entities are left out, to bound matching at drafting time.
    init(sentences: some Sequence<(words: [String], tags: [Int])>, types: [String], tagTypes: [(type: Int, begins: Bool)?], maximumWords: Int) {
        var entries: [String: UInt8] = [:]
        var entityWords: [String: UInt8] = [:]
        for sentence in sentences {
            for entity in Self.entities(in: sentence.tags, tagTypes: tagTypes) where entity.range.count <= maximumWords {
                let bit = UInt8(1) << UInt8(entity.type)
                let lowercased = sentence.words[entity.range].map { $0.lowercased() }
                entries[lowercased.joined(separator: " "), default: 0] |= bit
                for word in lowercased { entityWords[word, default: 0] |= bit }
            }
        }
        self.init(types: types, entries: entries, entityWords: entityWords)
    }

    /// Returns the entities of a tag sequence. A begin tag starts an entity, and so does an
    /// inside tag that does not continue an entity of its type. Inside tags of the same type
    /// extend it.
    static func entities(in tags: [Int], tagTypes: [(type: Int, begins: Bool)?]) -> [(range: Range<Int>, type: Int)] {
        var result: [(range: Range<Int>, type: Int)] = []
        var current: (start: Int, type: Int)?
        for (position, tag) in tags.enumerated() {
            let parsed = tag >= 0 && tag < tagTypes.count ? tagTypes[tag] : nil
            if let open = current, parsed == nil || parsed?.begins == true || parsed?.type != open.type {
                result.append((open.start ..< position, open.type))
                current = nil
            }
            if let parsed, current == nil {
                current = (position, parsed.type)
            }
        }
        if let open = current { result.append((open.start ..< tags.count, open.type)) }
        return result
    }

    // MARK: Matching

    /// A word's gazetteer evidence: types of the longest entries that cover it, types of the
    /// entries that start at it, and the types its own word was seen inside.
    struct Match: Equatable {
        var covering: UInt8 = 0
        var beginning: UInt8 = 0
        var word: UInt8 = 0
    }

    /// Matches the sentence against the gazetteer: at each word, the longest entry that starts
    /// there marks every word it covers.
    func matches(lowercased words: [String]) -> [Match] {
        var result = [Match](repeating: Match(), count: words.count)
        for start in words.indices {
            result[start].word = entityWords[words[start]] ?? 0
            var key = words[start]
            var longest: (length: Int, mask: UInt8)?
            var length = 1
            while true {
                if let mask = entries[key] { longest = (length, mask) }
                guard start + length < words.count, prefixes.contains(key) else { break }
                key += " " + words[start + length]
                length += 1
            }
            guard let longest else { continue }
            result[start].beginning |= longest.mask
            for position in start ..< start + longest.length { result[position].covering |= longest.mask }
        }
        return result
    }
}

// MARK: - Word lexicon

/// The capitalization of each lowercased word in the training sentences, which separates a
/// capitalized common word at the start of a sentence from a name.
struct WordLexicon: Sendable, Equatable {
    struct Usage: OptionSet, Sendable, Hashable {
        let rawValue: UInt8
        /// Seen in lowercase after the first word of a sentence.
        static let lowercaseInside = Usage(rawValue: 1)
        /// Seen with a capital or in capitals after the first word of a sentence.
        static let capitalizedInside = Usage(rawValue: 2)
        /// Seen as the first word of a sentence.
        static let first = Usage(rawValue: 4)
    }

    let usage: [String: Usage]

    init(usage: [String: Usage]) {
        self.usage = usage
    }

    /// Records the capitalization of every word of `sentences`.
    init(sentences: some Sequence<[String]>) {
        var usage: [String: Usage] = [:]
        for words in sentences {
            for (position, word) in words.enumerated() {
                let kind: Usage
                if position == 0 {
                    kind = .first
                } else {
                    switch WordShape(of: word) {
                    case .lower: kind = .lowercaseInside
                    case .capitalized, .upper, .mixed: kind = .capitalizedInside
                    case .digits, .punct: continue
                    }
                }
                usage[word.lowercased(), default: []].insert(kind)
            }
        }
        self.usage = usage
    }

    /// Returns the usage class of a lowercased word, as a feature value.
    func category(of lowercased: String) -> String {
        guard let usage = usage[lowercased] else { return "unseen" }
        switch (usage.contains(.lowercaseInside), usage.contains(.capitalizedInside)) {
        case (true, true): return "both"
        case (true, false): return "lower"
        case (false, true): return "capital"
        case (false, false): return "first-only"
        }
    }
}
