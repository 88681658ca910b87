import SpecTagTokenization

// MARK: - Tag scheme

/// The tag list of a lexical drafter, read as BIO. `B-X` begins and `I-X` continues an entity
/// of type `X`, and any other tag (normally `O`) is outside entities.
struct LexicalTagScheme: Sendable, Equatable {
    let tags: [String]
    /// Entity types in order of first appearance in `tags`.
    let entityTypes: [String]
    /// The entity type index of each tag and whether it begins an entity, or nil.
    let tagTypes: [(type: Int, begins: Bool)?]

    init(tags: [String]) {
        self.tags = tags
        var types: [String] = []
        var tagTypes: [(type: Int, begins: Bool)?] = []
        for tag in tags {
            guard tag.hasPrefix("B-") || tag.hasPrefix("I-"), tag.count > 2 else {
                tagTypes.append(nil)
                continue
            }
            let type = String(tag.dropFirst(2))
            if !types.contains(type) { types.append(type) }
            tagTypes.append((types.firstIndex(of: type) ?? 0, tag.hasPrefix("B-")))
        }
        entityTypes = types
        self.tagTypes = tagTypes
    }

    static func == (lhs: LexicalTagScheme, rhs: LexicalTagScheme) -> Bool {
        lhs.tags == rhs.tags
    }

    var tagCount: Int { tags.count }
    /// The previous-tag value of the first word, as in the target's decoder.
    var startTag: Int { tags.count }
}

// MARK: - Feature names

/// The features of the lexical tagger, named as strings.
///
/// Static features depend only on the words and are computed once per sentence. Features of
/// the previous tags are looked up per previous-tag value, so that drafting from any accepted
/// prefix needs no string work.
enum LexicalFeatures {
    /// Words before and after the sentence, as neighbour features see them.
    static let beforeSentence = "<s>"
    static let afterSentence = "</s>"

    static func previousTag(_ previous: Int) -> String {
        "t1=\(previous)"
    }

    static func previousTags(_ secondPrevious: Int, _ previous: Int) -> String {
        "t2t1=\(secondPrevious),\(previous)"
    }

    static func previousTagAndWord(_ previous: Int, lowercased: String) -> String {
        "t1l=\(previous)|\(lowercased)"
    }

    /// Returns the previous tag and word of a `previousTagAndWord` name, or nil for other names.
    static func parsePreviousTagAndWord(_ name: String) -> (previous: Int, lowercased: String)? {
        guard name.hasPrefix("t1l="), let bar = name.firstIndex(of: "|") else { return nil }
        guard let previous = Int(name[name.index(name.startIndex, offsetBy: 4) ..< bar]) else { return nil }
        return (previous, String(name[name.index(after: bar)...]))
    }

    static func previousTagAndShape(_ previous: Int, shape: WordShape) -> String {
        "t1sh=\(previous)|\(shape.rawValue)"
    }

    // MARK: Static features

    /// A sentence prepared for feature extraction.
    struct Sentence {
        let words: [String]
        let lowercased: [String]
        let shapes: [WordShape]

        init(words: [String]) {
            self.words = words
            lowercased = words.map { $0.lowercased() }
            shapes = words.map { WordShape(of: $0) }
        }

        /// The index of each word's shape in `WordShape.allCases`.
        var shapeIndices: [Int] {
            shapes.map { WordShape.allCases.firstIndex(of: $0) ?? 0 }
        }
    }

    /// Returns the names of the static features of every word.
    static func staticFeatures(of sentence: Sentence, gazetteer: Gazetteer, lexicon: WordLexicon) -> [[String]] {
        let matches = gazetteer.matches(lowercased: sentence.lowercased)
        let isHeadline = isCapitalsHeadline(sentence)
        return sentence.words.indices.map { position in
            var features = wordFeatures(sentence, at: position)
            appendContextFeatures(sentence, at: position, to: &features)
            appendGazetteerFeatures(matches[position], gazetteer: gazetteer, to: &features)
            let usage = lexicon.category(of: sentence.lowercased[position])
            let shape = sentence.shapes[position].rawValue
            features.append("lex=\(usage)")
            features.append("lex|sh=\(usage)|\(shape)")
            if position == 0 { features.append("first|sh=\(shape)") }
            if isHeadline { features.append("headline|sh=\(shape)") }
            return features
        }
    }

    /// Features of the word itself: identity, affixes, shape and character flags.
    private static func wordFeatures(_ sentence: Sentence, at position: Int) -> [String] {
        let word = sentence.words[position]
        let lowercased = sentence.lowercased[position]
        var features = ["bias", "w=\(word)", "l=\(lowercased)", "sh=\(sentence.shapes[position].rawValue)", "pat=\(pattern(of: word))"]
        let characters = Array(lowercased)
        for length in 1 ... 4 where characters.count >= length {
            features.append("p\(length)=\(String(characters[..<length]))")
            features.append("s\(length)=\(String(characters[(characters.count - length)...]))")
        }
        if word.contains(where: \.isNumber) { features.append("digit") }
        if word.contains("-") { features.append("hyphen") }
        if word.contains(".") { features.append("period") }
        return features
    }

    /// Features of the two words before and after, lowercased, their shapes and bigrams.
    private static func appendContextFeatures(_ sentence: Sentence, at position: Int, to features: inout [String]) {
        func lowercased(_ offset: Int) -> String {
            let index = position + offset
            if index < 0 { return beforeSentence }
            if index >= sentence.words.count { return afterSentence }
            return sentence.lowercased[index]
        }
        func shape(_ offset: Int) -> String {
            let index = position + offset
            guard sentence.words.indices.contains(index) else { return "none" }
            return sentence.shapes[index].rawValue
        }
        for offset in [-2, -1, 1, 2] {
            features.append("l\(offset)=\(lowercased(offset))")
            features.append("sh\(offset)=\(shape(offset))")
        }
        let current = sentence.lowercased[position]
        features.append("l-1|l=\(lowercased(-1))|\(current)")
        features.append("l|l+1=\(current)|\(lowercased(1))")
        features.append("sh-1|sh|sh+1=\(shape(-1))|\(shape(0))|\(shape(1))")
    }

    private static func appendGazetteerFeatures(_ match: Gazetteer.Match, gazetteer: Gazetteer, to features: inout [String]) {
        for (bit, type) in gazetteer.types.enumerated() {
            let mask = UInt8(1) << UInt8(bit)
            if match.covering & mask != 0 { features.append("gaz=\(type)") }
            if match.beginning & mask != 0 { features.append("gaz-begin=\(type)") }
            if match.word & mask != 0 { features.append("gaz-word=\(type)") }
        }
    }

    // MARK: Helpers

    /// Returns the word's character classes with repeats collapsed: `Xx` for `Apple`, `d-d` for
    /// `1996-08-22`, `X.X.` for `U.S.`; at most 8 characters.
    static func pattern(of word: String) -> String {
        var result = ""
        var last: Character?
        for character in word {
            let symbol: Character
            if character.isUppercase {
                symbol = "X"
            } else if character.isLowercase {
                symbol = "x"
            } else if character.isNumber {
                symbol = "d"
            } else {
                symbol = character
            }
            if symbol != last {
                result.append(symbol)
                last = symbol
                if result.count == 8 { break }
            }
        }
        return result
    }

    /// Returns whether the sentence is a headline in capitals, as CoNLL-2003 sport results are: at least
    /// three words with letters, all in capitals.
    private static func isCapitalsHeadline(_ sentence: Sentence) -> Bool {
        var letterWords = 0
        for shape in sentence.shapes {
            switch shape {
            case .upper:
                letterWords += 1
            case .lower, .mixed:
                return false
            case .capitalized, .digits, .punct:
                continue
            }
        }
        return letterWords >= 3
    }
}
