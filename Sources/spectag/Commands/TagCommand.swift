import Foundation
import SpecTagArguments
import SpecTagSpeculation
import SpecTagStreaming

/// `spectag tag`: tags text from a file or standard input and prints JSON lines.
struct TagCommand: Command {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            name: "tag",
            abstract: "Tag text with entities and sentiment; print one JSON object per input line.",
            discussion: """
                Each non-blank input line is one document: plain text, or a JSON object with a \
                "text" field and an optional "id" (a string or an integer), which the output line \
                repeats. Lines starting with "{" are read as JSON, and a JSON object with an empty \
                "text" still gets an output line. Input must be UTF-8. Entities are reported as \
                spans of the original text in Unicode code point offsets, as Python indexes strings.

                A summary of the speculative decoding (draft tokens, accepted tokens, acceptance rate, \
                mean acceptance length, target passes per sentence and the speedup over greedy \
                decoding of the same sentences) goes to standard error. A line that cannot be read is \
                reported on standard error with its number; the exit status is then 1.
                """
        )
    }

    static var options: [OptionSpec] {
        [.positional("file", help: "Input file; standard input when absent or '-'.", arity: .optional)]
            + TaggerOptions.specs
            + [
                .flag("compare-greedy", help: "Also decode greedily, check the output is identical and report the speedup.", default: true),
                .flag("words", help: "Include every word with its tag in the output.", default: true),
                .option("chunk-lines", valueName: "n", help: "Input lines read and tagged together before their output is written.", default: 256),
            ]
    }

    let file: String?
    let tagger: TaggerOptions
    let compareGreedy: Bool
    let includeWords: Bool
    let chunkLines: Int

    init(_ arguments: ParsedArguments) throws {
        file = try arguments.text("file")
        tagger = try TaggerOptions(arguments)
        compareGreedy = try arguments.flag("compare-greedy")
        includeWords = try arguments.flag("words")
        chunkLines = try arguments.required("chunk-lines")
        guard chunkLines >= 1 else { throw UsageError("--chunk-lines must be at least 1") }
    }

    func run() async throws {
        let tagger = try self.tagger.makeTagger()
        let reader = try InputLines(path: file)
        var total = DecodingStatistics()
        var timings = TaggingTimings()
        var failures = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        while let chunk = try reader.next(count: chunkLines) {
            var documents: [(line: Int, document: Document)] = []
            for line in chunk {
                switch line.content.flatMap(Document.parse) {
                case let .success(document): documents.append((line.number, document))
                case let .failure(error):
                    failures += 1
                    printToStandardError("\(reader.name):\(line.number): \(error.description)")
                }
            }
            let run = try tagger.tag(documents.map(\.document.text), compareWithGreedy: compareGreedy)
            for (input, tagged) in zip(documents, run.texts) {
                let output = TagOutput(line: input.line, document: input.document, tagged: tagged, includeWords: includeWords)
                print(String(decoding: try encoder.encode(output), as: UTF8.self))
            }
            let passes = total.targetPasses + run.total.targetPasses
            total.add(run.total)
            total.targetPasses = passes
            timings.add(run.timings)
        }
        let report = DecodingReport(drafter: tagger.drafterName, maxDraft: tagger.decoder.maximumDraft, total: total, timings: timings)
        report.lines.forEach(printToStandardError)
        if failures > 0 {
            printToStandardError("\(failures) input line(s) could not be read")
            throw ExitCode(1)
        }
    }
}

/// One line of `spectag tag` output.
struct TagOutput: Encodable {
    var line: Int
    var id: JSONValue?
    var text: String
    var entities: [EntityMention]
    var sentiment: SentimentResult
    var words: [TaggedWord]?
    var statistics: Statistics

    struct Statistics: Encodable {
        var draftTokens: Int
        var acceptedTokens: Int
        var targetPasses: Int
    }

    init(line: Int, document: Document, tagged: TaggedText, includeWords: Bool) {
        self.line = line
        id = document.id
        text = document.text
        entities = tagged.entities
        sentiment = tagged.sentiment
        words = includeWords ? tagged.words : nil
        statistics = Statistics(draftTokens: tagged.statistics.draftTokens, acceptedTokens: tagged.statistics.acceptedTokens, targetPasses: tagged.statistics.targetPasses)
    }
}
