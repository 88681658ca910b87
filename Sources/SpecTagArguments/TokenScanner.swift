// MARK: - Token scanner

/// Splits one command's tokens into option values and positional arguments.
///
/// Accepted forms: `--name value`, `--name=value`, `-k value`, `-k8`, bundled short flags
/// (`-vq`), `--flag`, `--no-flag` for invertible flags, and `--` after which every token is
/// positional. A token such as `-5` is positional unless a short option `-5` is declared.
struct TokenScanner {
    struct Result {
        var options: [String: [ParsedArguments.RawValue]] = [:]
        var positionals: [String] = []
    }

    private let tokens: [String]
    private var index = 0
    private let longSpecs: [String: OptionSpec]
    private let shortSpecs: [Character: OptionSpec]
    private let specs: [OptionSpec]

    init(tokens: [String], specs: [OptionSpec]) {
        self.tokens = tokens
        self.specs = specs
        var long: [String: OptionSpec] = [:]
        var short: [Character: OptionSpec] = [:]
        for spec in specs where !spec.isPositional {
            long[spec.name] = spec
            if let shortName = spec.shortName {
                short[shortName] = spec
            }
        }
        longSpecs = long
        shortSpecs = short
    }

    mutating func scan() throws -> Result {
        var result = Result()
        while index < tokens.count {
            let token = tokens[index]
            index += 1

            if token == "--" {
                result.positionals.append(contentsOf: tokens[index...])
                index = tokens.count
            } else if token.hasPrefix("--") {
                try scanLongOption(token, into: &result)
            } else if token.hasPrefix("-"), token.count > 1, !isPositionalNumber(token) {
                try scanShortOptions(token, into: &result)
            } else {
                result.positionals.append(token)
            }
        }
        return result
    }

    // MARK: Long options

    private mutating func scanLongOption(_ token: String, into result: inout Result) throws {
        let body = token.dropFirst(2)
        let name: String
        let inlineValue: String?
        if let equals = body.firstIndex(of: "=") {
            name = String(body[..<equals])
            inlineValue = String(body[body.index(after: equals)...])
        } else {
            name = String(body)
            inlineValue = nil
        }

        if let spec = longSpecs[name] {
            if spec.kind == .flag {
                guard inlineValue == nil else {
                    throw UsageError("\(spec.displayName) is a flag and does not take a value")
                }
                store("true", for: spec, into: &result)
            } else {
                let value = try inlineValue ?? takeValue(for: "--\(name)")
                store(value, for: spec, into: &result)
            }
            return
        }

        if name.hasPrefix("no-"), let spec = longSpecs[String(name.dropFirst(3))], spec.kind == .flag, spec.isInvertible {
            guard inlineValue == nil else {
                throw UsageError("--\(name) is a flag and does not take a value")
            }
            store("false", for: spec, into: &result)
            return
        }

        throw UsageError(unknownLongOptionMessage(name))
    }

    private func unknownLongOptionMessage(_ name: String) -> String {
        var candidates = ["help"]
        for spec in specs where !spec.isPositional {
            candidates.append(spec.name)
            if spec.kind == .flag, spec.isInvertible {
                candidates.append("no-" + spec.name)
            }
        }
        var message = "unknown option '--\(name)'"
        if let suggestion = closestMatch(to: name, in: candidates) {
            message += "; did you mean '--\(suggestion)'?"
        }
        return message
    }

    // MARK: Short options

    private mutating func scanShortOptions(_ token: String, into result: inout Result) throws {
        var remaining = token.dropFirst()
        while let character = remaining.popFirst() {
            guard let spec = shortSpecs[character] else {
                throw UsageError("unknown option '-\(character)'" + (token.count > 2 ? " in '\(token)'" : ""))
            }
            if spec.kind == .flag {
                store("true", for: spec, into: &result)
                continue
            }
            // `-k8` and `-k=8` carry the value in the same token. Otherwise it is the next token.
            let attached = remaining.first == "=" ? remaining.dropFirst() : remaining
            let value = try attached.isEmpty ? takeValue(for: "-\(character)") : String(attached)
            store(value, for: spec, into: &result)
            return
        }
    }

    // MARK: Values

    /// Consumes the next token as the value of `option`.
    ///
    /// A token that starts with `-` is taken only when it is `-` alone (standard input by
    /// convention) or a number, so that `--model --verbose` reports the missing value instead of
    /// swallowing the flag.
    private mutating func takeValue(for option: String) throws -> String {
        guard index < tokens.count else {
            throw UsageError("missing value for \(option)")
        }
        let next = tokens[index]
        guard !next.hasPrefix("-") || next == "-" || Double(next) != nil else {
            throw UsageError("missing value for \(option)")
        }
        index += 1
        return next
    }

    private func store(_ text: String, for spec: OptionSpec, into result: inout Result) {
        let value = ParsedArguments.RawValue(text: text, source: .commandLine)
        if spec.kind == .repeated {
            result.options[spec.name, default: []].append(value)
        } else {
            result.options[spec.name] = [value]
        }
    }

    /// Returns whether `token` is a negative number such as `-5` or `-0.25` that no declared
    /// short option claims.
    private func isPositionalNumber(_ token: String) -> Bool {
        guard Double(token) != nil, let first = token.dropFirst().first else { return false }
        return shortSpecs[first] == nil
    }
}

// MARK: - Suggestions

/// Returns the candidate closest to `input` by edit distance, or `nil` when none is close.
///
/// A candidate is close when at most a third of the longer name must change (at least one edit,
/// at most three). Ties go to the earlier candidate.
func closestMatch(to input: String, in candidates: [String]) -> String? {
    var best: (name: String, distance: Int)?
    for candidate in candidates {
        let distance = editDistance(input, candidate)
        let allowed = min(3, max(1, max(input.count, candidate.count) / 3))
        guard distance <= allowed else { continue }
        if best == nil || distance < best?.distance ?? Int.max {
            best = (candidate, distance)
        }
    }
    return best?.name
}

/// Returns the optimal string alignment distance: the minimum number of inserted, deleted or
/// substituted characters and swaps of two adjacent characters, so that the typo `sevre` is one
/// edit from `serve`.
func editDistance(_ source: String, _ target: String) -> Int {
    let source = Array(source)
    let target = Array(target)
    if source.isEmpty { return target.count }
    if target.isEmpty { return source.count }

    // distances[i][j] is the distance between the first i characters of source and the first j of target.
    var distances = [[Int]](repeating: [Int](repeating: 0, count: target.count + 1), count: source.count + 1)
    for i in 0...source.count { distances[i][0] = i }
    for j in 0...target.count { distances[0][j] = j }

    for i in 1...source.count {
        for j in 1...target.count {
            let cost = source[i - 1] == target[j - 1] ? 0 : 1
            var best = min(distances[i - 1][j] + 1, distances[i][j - 1] + 1, distances[i - 1][j - 1] + cost)
            if i > 1, j > 1, source[i - 1] == target[j - 2], source[i - 2] == target[j - 1] {
                best = min(best, distances[i - 2][j - 2] + 1)
            }
            distances[i][j] = best
        }
    }
    return distances[source.count][target.count]
}
