// MARK: - Trie over Unicode scalars

/// A prefix tree from scalar sequences to vocabulary ids.
///
/// Keys are compared scalar by scalar, never by Swift's canonical string equivalence, because
/// Hugging Face vocabularies may hold both the precomposed and the decomposed spelling of a
/// token as different entries.
struct ScalarTrie: Sendable {
    /// Child node of (node, scalar), keyed by `node << 21 | scalar`.
    private var children: [UInt64: Int32] = [:]
    /// The value stored at each node, or -1.
    private var values: [Int32] = [-1]

    init() {}

    /// Stores `value` for `key`, replacing an earlier value.
    mutating func insert<S: Sequence>(_ key: S, value: Int) where S.Element == Unicode.Scalar {
        var node: Int32 = 0
        for scalar in key {
            let edge = UInt64(node) << 21 | UInt64(scalar.value)
            if let child = children[edge] {
                node = child
            } else {
                let child = Int32(values.count)
                values.append(-1)
                children[edge] = child
                node = child
            }
        }
        values[Int(node)] = Int32(value)
    }

    /// Returns the value stored for exactly `key`.
    func value<S: Sequence>(for key: S) -> Int? where S.Element == Unicode.Scalar {
        var node: Int32 = 0
        for scalar in key {
            guard let child = children[UInt64(node) << 21 | UInt64(scalar.value)] else {
                return nil
            }
            node = child
        }
        let value = values[Int(node)]
        return value >= 0 ? Int(value) : nil
    }

    /// Calls `body(length, value)` for every key that is a prefix of `scalars[start...]`,
    /// shortest first.
    func forEachPrefix(
        of scalars: ArraySlice<Unicode.Scalar>, from start: Int,
        _ body: (_ length: Int, _ value: Int) -> Void
    ) {
        var node: Int32 = 0
        var index = start
        while index < scalars.endIndex {
            guard let child = children[UInt64(node) << 21 | UInt64(scalars[index].value)] else {
                return
            }
            node = child
            index += 1
            let value = values[Int(node)]
            if value >= 0 {
                body(index - start, Int(value))
            }
        }
    }

    /// Returns the longest key that is a prefix of `scalars[start...]`, as (length, value).
    func longestPrefix(of scalars: ArraySlice<Unicode.Scalar>, from start: Int) -> (length: Int, value: Int)? {
        var longest: (length: Int, value: Int)?
        forEachPrefix(of: scalars, from: start) { length, value in
            longest = (length, value)
        }
        return longest
    }
}
