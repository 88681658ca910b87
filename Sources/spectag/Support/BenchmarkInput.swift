import Foundation

/// Sentences for benchmarks, read from a text file.
enum BenchmarkInput {
    /// The default sentence file: Financial PhraseBank, typical news sentences of about 20 words.
    static let defaultSentenceFile = "../shared/data/financial_phrasebank/Sentences_AllAgree.txt"

    /// Reads up to `count` non-empty lines; a PhraseBank line's `@label` suffix is removed.
    /// - Throws: `CLIError` naming the file when it cannot be read.
    static func sentences(from path: String, count: Int) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): not found; pass --sentences FILE (one sentence per line)")
        }
        let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) ?? ""
        var sentences: [String] = []
        for line in text.split(whereSeparator: \.isNewline) where sentences.count < count {
            var sentence = String(line)
            if path.hasSuffix(".txt"), let at = sentence.lastIndex(of: "@") { sentence = String(sentence[..<at]) }
            sentence = sentence.trimmingCharacters(in: .whitespaces)
            if !sentence.isEmpty { sentences.append(sentence) }
        }
        return sentences
    }

    /// The machine, for the record: CPU model, core count and memory.
    static var machineDescription: String {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuInfo.split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(String(format: "%.0f", memory)) GiB"
    }
}
