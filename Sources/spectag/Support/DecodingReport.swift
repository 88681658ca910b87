import Foundation
import SpecTagSpeculation

/// The speculative-decoding summary that `tag`, `eval` and `bench` print, with vLLM/llama.cpp names.
struct DecodingReport: Codable {
    var drafter: String
    var maxDraft: Int
    var sentences: Int
    var positions: Int
    var draftTokens: Int
    var acceptedTokens: Int
    var acceptanceRate: Double
    var meanAcceptedPerPass: Double
    var meanAcceptanceLength: Double
    var targetPassesPerSentence: Double
    var batchedTargetPasses: Int
    /// Acceptance rate at each drafted position within a pass (position 1 first).
    var acceptanceByDraftPosition: [Double]
    var encoderSeconds: Double
    var decoderSeconds: Double
    var greedyDecoderSeconds: Double?
    /// Greedy decoder time over speculative decoder time, same sentences, same run.
    var decoderSpeedup: Double?
    /// (encoder + greedy decoder) over (encoder + speculative decoder).
    var wholeSentenceSpeedup: Double?
    var sentencesPerSecond: Double

    init(drafter: String, maxDraft: Int, total: DecodingStatistics, timings: TaggingTimings) {
        self.drafter = drafter
        self.maxDraft = maxDraft
        sentences = total.sentences
        positions = total.positions
        draftTokens = total.draftTokens
        acceptedTokens = total.acceptedTokens
        acceptanceRate = total.acceptanceRate
        meanAcceptedPerPass = total.meanAcceptedPerPass
        meanAcceptanceLength = total.meanAcceptanceLength
        targetPassesPerSentence = total.passesPerSentence
        batchedTargetPasses = total.targetPasses
        acceptanceByDraftPosition = zip(total.acceptedAt, total.draftedAt).map { $1 == 0 ? 0 : Double($0) / Double($1) }
        encoderSeconds = timings.encoder
        decoderSeconds = timings.decoder
        greedyDecoderSeconds = timings.greedyDecoder
        if let greedy = timings.greedyDecoder, timings.decoder > 0 {
            decoderSpeedup = greedy / timings.decoder
            wholeSentenceSpeedup = (timings.encoder + greedy) / (timings.encoder + timings.decoder)
        }
        let elapsed = timings.encoder + timings.decoder
        sentencesPerSecond = elapsed > 0 ? Double(sentences) / elapsed : 0
    }

    /// The summary as text lines.
    var lines: [String] {
        var lines = [
            "drafter: \(drafter) (max draft \(maxDraft))",
            "sentences: \(sentences); positions (tags + sentiment slots): \(positions)",
            "draft tokens: \(draftTokens); accepted tokens: \(acceptedTokens); acceptance rate: \(percent(acceptanceRate))",
            "mean accepted tokens per target pass: \(fixed(meanAcceptedPerPass)); mean acceptance length: \(fixed(meanAcceptanceLength)); target passes per sentence: \(fixed(targetPassesPerSentence))",
        ]
        if !acceptanceByDraftPosition.isEmpty {
            let table = acceptanceByDraftPosition.prefix(16).enumerated().map { "\($0 + 1):\(percent($1))" }.joined(separator: " ")
            lines.append("acceptance by draft position: \(table)")
        }
        var timing = "encoder: \(fixed(encoderSeconds)) s; decoder: \(fixed(decoderSeconds)) s"
        if let greedy = greedyDecoderSeconds, let decoderSpeedup, let wholeSentenceSpeedup {
            timing += "; greedy decoder: \(fixed(greedy)) s; decoder speedup: \(fixed(decoderSpeedup))x; whole-sentence speedup: \(fixed(wholeSentenceSpeedup))x"
        }
        lines.append(timing)
        lines.append("throughput: \(fixed(sentencesPerSecond, digits: 1)) sentences/s")
        return lines
    }

    private func percent(_ value: Double) -> String { String(format: "%.1f%%", 100 * value) }
    private func fixed(_ value: Double, digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
}

/// Writes a line to standard error.
func printToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
