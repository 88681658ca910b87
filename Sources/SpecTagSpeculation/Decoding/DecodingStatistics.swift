/// Speculative-decoding counters, named as vLLM and llama.cpp name them.
///
/// A *position* is one decoder output: a word's tag or a sentence's sentiment. A *target pass*
/// is one sequential run of the target decoder over a batch; a *sentence pass* is one sentence's
/// share of a target pass.
public struct DecodingStatistics: Sendable, Equatable, Codable {
    public var sentences = 0
    /// Positions decoded (words plus one sentiment slot per sentence).
    public var positions = 0
    /// Draft tokens proposed by the drafter.
    public var draftTokens = 0
    /// Draft tokens the target agreed with.
    public var acceptedTokens = 0
    /// Sequential target decoder passes over the batch.
    public var targetPasses = 0
    /// Sum over sentences of the passes each took part in.
    public var sentencePasses = 0
    /// `draftedAt[j]` and `acceptedAt[j]`: proposals at draft position `j` within a pass and how
    /// many were accepted, for acceptance per drafted position.
    public var draftedAt: [Int] = []
    public var acceptedAt: [Int] = []

    public init() {}

    /// Accepted draft tokens over drafted ones.
    public var acceptanceRate: Double { draftTokens == 0 ? 0 : Double(acceptedTokens) / Double(draftTokens) }
    /// Accepted draft tokens per sentence pass.
    public var meanAcceptedPerPass: Double { sentencePasses == 0 ? 0 : Double(acceptedTokens) / Double(sentencePasses) }
    /// Positions decoded per sentence pass, the correction or bonus position included (vLLM's
    /// mean acceptance length): 1 for greedy decoding.
    public var meanAcceptanceLength: Double { sentencePasses == 0 ? 0 : Double(positions) / Double(sentencePasses) }
    /// Sentence passes per sentence; greedy decoding takes words + 1.
    public var passesPerSentence: Double { sentences == 0 ? 0 : Double(sentencePasses) / Double(sentences) }

    /// Adds another run's counters.
    public mutating func add(_ other: DecodingStatistics) {
        sentences += other.sentences
        positions += other.positions
        draftTokens += other.draftTokens
        acceptedTokens += other.acceptedTokens
        targetPasses += other.targetPasses
        sentencePasses += other.sentencePasses
        let width = max(draftedAt.count, other.draftedAt.count)
        draftedAt = (0 ..< width).map { (draftedAt[safe: $0] ?? 0) + (other.draftedAt[safe: $0] ?? 0) }
        acceptedAt = (0 ..< width).map { (acceptedAt[safe: $0] ?? 0) + (other.acceptedAt[safe: $0] ?? 0) }
    }

    mutating func recordPass(drafted: Int, accepted: Int) {
        while draftedAt.count < drafted {
            draftedAt.append(0)
            acceptedAt.append(0)
        }
        for position in 0 ..< drafted { draftedAt[position] += 1 }
        for position in 0 ..< accepted { acceptedAt[position] += 1 }
        draftTokens += drafted
        acceptedTokens += accepted
        sentencePasses += 1
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
