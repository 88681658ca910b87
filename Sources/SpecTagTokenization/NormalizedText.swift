// MARK: - Normalized text with alignments

/// A normalized string that remembers, for every scalar, the range of the original string it
/// came from, like `NormalizedString` in Hugging Face `tokenizers`.
///
/// Alignments are Unicode scalar offsets into the original string. The operations follow the
/// alignment rules of `tokenizers` 0.23 so that token offsets match exactly: a scalar that
/// replaces another keeps its alignment, and an inserted scalar shares the alignment of the
/// scalar it came from or was inserted after. Each operation states its own case.
struct NormalizedText {
    private(set) var scalars: [Unicode.Scalar]
    private(set) var alignments: [Range<Int>]

    /// Creates the identity normalization of `original`, shifted by `offset` scalars so that
    /// alignments point into a larger enclosing string.
    init<S: Sequence>(_ original: S, offset: Int = 0) where S.Element == Unicode.Scalar {
        scalars = Array(original)
        alignments = (0..<scalars.count).map { (offset + $0)..<(offset + $0 + 1) }
    }

    init(scalars: [Unicode.Scalar], alignments: [Range<Int>]) {
        self.scalars = scalars
        self.alignments = alignments
    }

    var isEmpty: Bool { scalars.isEmpty }
    var count: Int { scalars.count }

    /// The normalized text as a `String`.
    var string: String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Returns the original range covered by the normalized scalars `range`: from the start of
    /// the first scalar's alignment to the end of the last one's.
    func originalRange(of range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty else { return 0..<0 }
        let lower = alignments[range.lowerBound].lowerBound
        let upper = alignments[range.upperBound - 1].upperBound
        return lower..<max(lower, upper)
    }

    /// Returns the part of the text in the normalized scalar range `range`.
    func slice(_ range: Range<Int>) -> NormalizedText {
        NormalizedText(scalars: Array(scalars[range]), alignments: Array(alignments[range]))
    }

    // MARK: Operations

    /// Keeps only the scalars for which `keep` returns true.
    mutating func filter(_ keep: (Unicode.Scalar) -> Bool) {
        guard !scalars.allSatisfy(keep) else { return }
        var newScalars: [Unicode.Scalar] = []
        var newAlignments: [Range<Int>] = []
        newScalars.reserveCapacity(scalars.count)
        newAlignments.reserveCapacity(scalars.count)
        for (scalar, alignment) in zip(scalars, alignments) where keep(scalar) {
            newScalars.append(scalar)
            newAlignments.append(alignment)
        }
        scalars = newScalars
        alignments = newAlignments
    }

    /// Replaces every scalar by `transform(scalar)`, one for one.
    mutating func map(_ transform: (Unicode.Scalar) -> Unicode.Scalar) {
        scalars = scalars.map(transform)
    }

    /// Replaces every scalar by its expansion, which may be empty (the scalar is removed) or
    /// longer than one scalar (the extra scalars share the alignment of the scalar they came from).
    mutating func expand(_ expansion: (Unicode.Scalar) -> [Unicode.Scalar]) {
        var newScalars: [Unicode.Scalar] = []
        var newAlignments: [Range<Int>] = []
        newScalars.reserveCapacity(scalars.count)
        newAlignments.reserveCapacity(scalars.count)
        for (scalar, alignment) in zip(scalars, alignments) {
            for newScalar in expansion(scalar) {
                newScalars.append(newScalar)
                newAlignments.append(alignment)
            }
        }
        scalars = newScalars
        alignments = newAlignments
    }

    /// Lowercases every scalar with its full Unicode lowercase mapping, which can be longer than
    /// one scalar (`İ` becomes `i` and U+0307). Final sigma gets no special case.
    mutating func lowercase() {
        // Map one for one in place while every mapping is a single scalar, the common case.
        for index in scalars.indices {
            let scalar = scalars[index]
            if scalar.isASCII {
                if (0x41...0x5A).contains(scalar.value) {
                    scalars[index] = Unicode.Scalar(UInt8(scalar.value + 0x20))
                }
                continue
            }
            let mapping = scalar.properties.lowercaseMapping.unicodeScalars
            guard mapping.count == 1, let lowered = mapping.first else {
                // Lowercasing is idempotent, so the scalars already mapped can go through again.
                expand { Array($0.properties.lowercaseMapping.unicodeScalars) }
                return
            }
            scalars[index] = lowered
        }
    }

    /// Puts `prefix` in front of the text, aligned with the first scalar. Does nothing to an
    /// empty text.
    mutating func prepend(_ prefix: Unicode.Scalar) {
        guard let first = alignments.first else { return }
        scalars.insert(prefix, at: 0)
        alignments.insert(first, at: 0)
    }

    /// Removes leading and trailing scalars with the Unicode `White_Space` property.
    mutating func strip(leading: Bool, trailing: Bool) {
        var start = 0
        var end = scalars.count
        if leading {
            while start < end && scalars[start].properties.isWhitespace {
                start += 1
            }
        }
        if trailing {
            while end > start && scalars[end - 1].properties.isWhitespace {
                end -= 1
            }
        }
        if start != 0 || end != scalars.count {
            self = slice(start..<end)
        }
    }

    /// Replaces every match in `matches` (ascending, non-overlapping normalized ranges) by
    /// `content`.
    ///
    /// As in `tokenizers`, each inserted scalar takes the alignment of the last scalar of the
    /// match it replaces, or of the scalar before an empty match.
    mutating func replace(matches: [Range<Int>], with content: [Unicode.Scalar]) {
        guard !matches.isEmpty else { return }
        var newScalars: [Unicode.Scalar] = []
        var newAlignments: [Range<Int>] = []
        newScalars.reserveCapacity(scalars.count)
        newAlignments.reserveCapacity(scalars.count)
        var position = 0
        for match in matches {
            newScalars.append(contentsOf: scalars[position..<match.lowerBound])
            newAlignments.append(contentsOf: alignments[position..<match.lowerBound])
            let alignment = match.upperBound >= 1 ? alignments[match.upperBound - 1] : 0..<0
            for scalar in content {
                newScalars.append(scalar)
                newAlignments.append(alignment)
            }
            position = match.upperBound
        }
        newScalars.append(contentsOf: scalars[position...])
        newAlignments.append(contentsOf: alignments[position...])
        scalars = newScalars
        alignments = newAlignments
    }

    /// Replaces every occurrence of the scalar `target` by `replacement`.
    mutating func replace(_ target: Unicode.Scalar, with replacement: Unicode.Scalar) {
        for index in scalars.indices where scalars[index] == target {
            scalars[index] = replacement
        }
    }
}
