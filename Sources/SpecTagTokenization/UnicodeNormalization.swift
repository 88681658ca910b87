import Foundation

// MARK: - Unicode normalization with alignments

/// The Unicode normalization forms the tokenizers apply.
enum NormalizationForm: Sendable {
    case nfc, nfd, nfkc, nfkd

    var usesCompatibilityMapping: Bool { self == .nfkc || self == .nfkd }
    var composes: Bool { self == .nfc || self == .nfkc }
}

extension NormalizedText {
    /// Applies a Unicode normalization form and keeps the alignments the way `tokenizers` does.
    /// The scalars of a decomposition share the alignment of the scalar they came from. Canonical
    /// reordering moves scalars but leaves the alignments in place. A composed scalar takes the
    /// alignment of its starter, and the marks it absorbed disappear.
    ///
    /// NOTE: Decompositions and compositions come from Foundation, so they follow the Unicode
    /// version of the Swift runtime, which may be newer than the one in `tokenizers`. The two only
    /// differ for recently assigned characters.
    mutating func normalize(_ form: NormalizationForm) {
        guard scalars.contains(where: { !$0.isASCII }) else { return }

        var decomposed: [Unicode.Scalar] = []
        var decomposedAlignments: [Range<Int>] = []
        decomposed.reserveCapacity(scalars.count)
        decomposedAlignments.reserveCapacity(scalars.count)
        for (scalar, alignment) in zip(scalars, alignments) {
            for part in unicodeDecomposition(of: scalar, compatibility: form.usesCompatibilityMapping) {
                decomposed.append(part)
                decomposedAlignments.append(alignment)
            }
        }
        reorderCanonically(&decomposed)

        if form.composes {
            composeCanonically(&decomposed, alignments: &decomposedAlignments)
        }
        self = NormalizedText(scalars: decomposed, alignments: decomposedAlignments)
    }
}

// MARK: - Algorithm steps

/// Sorts every run of non-starters by canonical combining class, keeping equal classes in order.
private func reorderCanonically(_ scalars: inout [Unicode.Scalar]) {
    var runStart = 0
    while runStart < scalars.count {
        guard combiningClass(scalars[runStart]) != 0 else {
            runStart += 1
            continue
        }
        var runEnd = runStart
        while runEnd < scalars.count && combiningClass(scalars[runEnd]) != 0 {
            runEnd += 1
        }
        if runEnd - runStart > 1 {
            let sorted = scalars[runStart..<runEnd].enumerated().sorted { left, right in
                let leftClass = combiningClass(left.element)
                let rightClass = combiningClass(right.element)
                return leftClass != rightClass ? leftClass < rightClass : left.offset < right.offset
            }
            scalars.replaceSubrange(runStart..<runEnd, with: sorted.map(\.element))
        }
        runStart = runEnd
    }
}

/// Applies the canonical composition algorithm of UAX #15 in place. A composite replaces its
/// starter (keeping the starter's alignment) and the absorbed scalar is removed with its alignment.
private func composeCanonically(_ scalars: inout [Unicode.Scalar], alignments: inout [Range<Int>]) {
    guard scalars.count > 1 else { return }
    var output: [Unicode.Scalar] = [scalars[0]]
    var outputAlignments: [Range<Int>] = [alignments[0]]
    var starterPosition: Int? = combiningClass(scalars[0]) == 0 ? 0 : nil
    // 256 marks "no starter directly before", as in the UAX #15 sample code.
    var lastClass = combiningClass(scalars[0]) == 0 ? 0 : 256

    for index in 1..<scalars.count {
        let scalar = scalars[index]
        let scalarClass = combiningClass(scalar)
        if let position = starterPosition, lastClass < scalarClass || lastClass == 0,
            let composite = canonicalComposite(output[position], scalar)
        {
            output[position] = composite
            continue
        }
        if scalarClass == 0 {
            starterPosition = output.count
        }
        lastClass = scalarClass
        output.append(scalar)
        outputAlignments.append(alignments[index])
    }
    scalars = output
    alignments = outputAlignments
}

private func combiningClass(_ scalar: Unicode.Scalar) -> Int {
    scalar.isASCII ? 0 : Int(scalar.properties.canonicalCombiningClass.rawValue)
}

// MARK: - Cached Foundation lookups

/// Memoizes per-scalar decompositions and pairwise compositions, which Foundation computes
/// through whole-string normalization.
private final class NormalizationTables: @unchecked Sendable {
    private let lock = NSLock()
    private var canonicalDecompositions: [UInt32: [Unicode.Scalar]] = [:]
    private var compatibilityDecompositions: [UInt32: [Unicode.Scalar]] = [:]
    private var composites: [UInt64: UInt32] = [:]

    func decomposition(of scalar: Unicode.Scalar, compatibility: Bool) -> [Unicode.Scalar] {
        lock.lock()
        let cached = compatibility
            ? compatibilityDecompositions[scalar.value] : canonicalDecompositions[scalar.value]
        lock.unlock()
        if let cached {
            return cached
        }
        let text = String(Character(scalar))
        let normalized = compatibility
            ? text.decomposedStringWithCompatibilityMapping : text.decomposedStringWithCanonicalMapping
        let result = Array(normalized.unicodeScalars)
        lock.lock()
        if compatibility {
            compatibilityDecompositions[scalar.value] = result
        } else {
            canonicalDecompositions[scalar.value] = result
        }
        lock.unlock()
        return result
    }

    func composite(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Unicode.Scalar? {
        let key = UInt64(first.value) << 32 | UInt64(second.value)
        lock.lock()
        let cached = composites[key]
        lock.unlock()
        if let cached {
            return cached == 0 ? nil : Unicode.Scalar(cached)
        }
        var view = String.UnicodeScalarView()
        view.append(first)
        view.append(second)
        let composed = Array(String(view).precomposedStringWithCanonicalMapping.unicodeScalars)
        let result: Unicode.Scalar? = composed.count == 1 ? composed[0] : nil
        lock.lock()
        composites[key] = result?.value ?? 0
        lock.unlock()
        return result
    }
}

private let normalizationTables = NormalizationTables()

/// Returns the full canonical or compatibility decomposition of one scalar.
func unicodeDecomposition(of scalar: Unicode.Scalar, compatibility: Bool) -> [Unicode.Scalar] {
    // Nothing below U+00A0 decomposes, and ASCII text is the common case.
    if scalar.value < 0xA0 {
        return [scalar]
    }
    return normalizationTables.decomposition(of: scalar, compatibility: compatibility)
}

/// Returns the primary composite of `first` followed by `second`, or nil when there is none.
private func canonicalComposite(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Unicode.Scalar? {
    // No canonical composition has an ASCII second scalar.
    if second.isASCII {
        return nil
    }
    if let syllable = hangulComposite(first, second) {
        return syllable
    }
    return normalizationTables.composite(first, second)
}

/// Composes Hangul jamo arithmetically, as the Unicode standard (section 3.12) defines it:
/// a leading and a vowel jamo form an LV syllable, and an LV syllable and a trailing jamo form an
/// LVT syllable. Foundation on Linux (Swift 6.3) left an LV syllable and a trailing jamo
/// uncomposed when normalizing the pair alone.
private func hangulComposite(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Unicode.Scalar? {
    let syllableBase: UInt32 = 0xAC00, leadingBase: UInt32 = 0x1100
    let vowelBase: UInt32 = 0x1161, trailingBase: UInt32 = 0x11A7
    let vowelCount: UInt32 = 21, trailingCount: UInt32 = 28, syllableCount: UInt32 = 11172
    let (a, b) = (first.value, second.value)
    if (leadingBase..<(leadingBase + 19)).contains(a) && (vowelBase..<(vowelBase + vowelCount)).contains(b) {
        let index = ((a - leadingBase) * vowelCount + (b - vowelBase)) * trailingCount
        return Unicode.Scalar(syllableBase + index)
    }
    if (syllableBase..<(syllableBase + syllableCount)).contains(a) && (a - syllableBase) % trailingCount == 0
        && ((trailingBase + 1)..<(trailingBase + trailingCount)).contains(b)
    {
        return Unicode.Scalar(a + (b - trailingBase))
    }
    return nil
}
