import Foundation
import SpecTagEvaluation
import SpecTagSpeculation
import SpecTagTokenization

/// Reads the data sets that `spectag train-drafter` trains on into sentences of words.
enum DrafterTrainingData {
    /// Sentences longer than this are cut into pieces, as `TextTagger` cuts them when serving.
    static let maximumSentenceWords = 200

    // MARK: CoNLL

    /// Reads CoNLL files (IOB1 or IOB2) as sentences with IOB2 tags.
    ///
    /// - Throws: `EvaluationInputError` naming the file and line of a malformed line.
    static func readCoNLL(_ paths: [String]) throws -> [LexicalDrafterTrainer.NERSentence] {
        var sentences: [LexicalDrafterTrainer.NERSentence] = []
        for path in paths {
            let document = try CoNLLReader.read(contentsOf: URL(fileURLWithPath: path))
            sentences += document.sentences.map { ($0.words, $0.goldTags) }
        }
        return sentences
    }

    // MARK: Financial PhraseBank

    /// Reads PhraseBank files and splits them with the project's fixed train/dev split.
    ///
    /// A sentence that occurs in several files (the agreement levels overlap) is kept once,
    /// with the label of the first file that has it.
    /// - Throws: `EvaluationInputError` naming the file and line of a malformed line.
    static func readPhraseBank(_ paths: [String]) throws -> (train: [LexicalDrafterTrainer.SentimentSentence], dev: [LexicalDrafterTrainer.SentimentSentence]) {
        var records: [LabeledText] = []
        var seen = Set<String>()
        for path in paths {
            for record in try PhraseBankReader.read(contentsOf: URL(fileURLWithPath: path)) where seen.insert(record.text).inserted {
                records.append(record)
            }
        }
        let (train, dev) = PhraseBankSplit.partition(records)
        let splitter = WordSplitter()
        func words(_ records: [LabeledText]) -> [LexicalDrafterTrainer.SentimentSentence] {
            records.map { record in (splitter.split(record.text).map(\.text), record.label) }
        }
        return (words(train), words(dev))
    }

    // MARK: Unlabelled text

    /// Reads unlabelled documents and splits them into sentences of words as serving does.
    ///
    /// A `.csv` file has a header row, and its documents are the column `textColumn`, or when
    /// that is nil the first column named `text`, `headline` or `headlines` (ignoring case).
    /// Any other file has one document per non-blank line. Files are decoded as UTF-8, or as
    /// latin-1 when they are not valid UTF-8.
    /// - Throws: `CLIError` naming the file when it cannot be read or has no such column, and
    ///   `EvaluationInputError` for malformed CSV quoting.
    static func readUnlabelledSentences(_ paths: [String], textColumn: String?) throws -> [[String]] {
        let sentenceSplitter = SentenceSplitter()
        let wordSplitter = WordSplitter()
        var sentences: [[String]] = []
        for path in paths {
            let documents = try readDocuments(path, textColumn: textColumn)
            for document in documents {
                let scalars = Array(document.unicodeScalars)
                for range in sentenceSplitter.split(document) {
                    let words = wordSplitter.split(String(String.UnicodeScalarView(scalars[range]))).map(\.text)
                    for start in stride(from: 0, to: words.count, by: maximumSentenceWords) {
                        sentences.append(Array(words[start ..< min(start + maximumSentenceWords, words.count)]))
                    }
                }
            }
        }
        return sentences
    }

    private static func readDocuments(_ path: String, textColumn: String?) throws -> [String] {
        let text = try readText(path)
        guard path.lowercased().hasSuffix(".csv") else {
            return text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
        }
        let records = try CSVParser.parse(text, fileName: path)
        guard let header = records.first else { return [] }
        let column = try columnIndex(in: header.fields, requested: textColumn, path: path)
        return records.dropFirst().compactMap { record in
            column < record.fields.count ? record.fields[column] : nil
        }
    }

    private static func columnIndex(in header: [String], requested: String?, path: String) throws -> Int {
        let names = requested.map { [$0] } ?? ["text", "headline", "headlines"]
        for name in names {
            if let index = header.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == name.lowercased() }) {
                return index
            }
        }
        throw CLIError("\(path): the CSV header \(header) has no column named \(names.joined(separator: " or ")); choose one with --text-column")
    }

    private static func readText(_ path: String) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("\(path): cannot read the file (\(error.localizedDescription))")
        }
        if let text = String(data: data, encoding: .utf8) { return text }
        return String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) }))
    }
}
