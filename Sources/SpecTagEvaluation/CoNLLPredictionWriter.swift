import Foundation

// MARK: - Writer

/// Writes a predictions file that conlleval.pl can score: each token line is the input's
/// columns followed by the predicted tag.
///
/// Layout: columns are joined by one space (conlleval.pl's default delimiter), elements are
/// separated by a blank line, and the file ends with a newline. A token line is its feature
/// columns, the gold tag and the predicted tag. The gold tag is the one held by the document,
/// so a document that the reader converted from IOB1 is written in IOB2: conlleval.pl then
/// scores the same tags that `Conlleval.score` scored. A prediction column that the input
/// already had is replaced. A `-DOCSTART-` line keeps its columns and gets `O` as its
/// predicted tag, like a token line, because conlleval.pl rejects lines whose column count
/// differs from the first line's.
public enum CoNLLPredictionWriter {
    /// Returns the text of the predictions file.
    ///
    /// - Parameter predictions: One tag array per sentence of `document.sentences`, or `nil`
    ///   to write the predicted tags that the document holds.
    /// - Throws: `EvaluationArgumentError` when the predictions do not match the sentences,
    ///   or when `predictions` is `nil` and the document has no predicted tags.
    public static func format(_ document: CoNLLDocument, predictions: [[String]]? = nil) throws -> String {
        let tags = try predictions ?? documentPredictions(document)
        try Conlleval.validatePredictions(tags, for: document)

        var blocks: [String] = []
        var sentenceIndex = 0
        for element in document.elements {
            switch element {
            case .documentStart(let start):
                var columns = start.columns
                if document.hasPredictionColumn, columns.count > 1 {
                    columns.removeLast()
                }
                blocks.append((columns + ["O"]).joined(separator: " ") + "\n")
            case .sentence(let sentence):
                var block = ""
                for (token, predicted) in zip(sentence.tokens, tags[sentenceIndex]) {
                    block += (token.features + [token.goldTag, predicted]).joined(separator: " ") + "\n"
                }
                blocks.append(block)
                sentenceIndex += 1
            }
        }
        return blocks.joined(separator: "\n")
    }

    /// Writes the predictions file to `url`, replacing any existing file.
    ///
    /// - Throws: `EvaluationArgumentError` as `format(_:predictions:)` does, and
    ///   `EvaluationInputError` naming the file when it cannot be written.
    public static func write(_ document: CoNLLDocument, predictions: [[String]]? = nil, to url: URL) throws {
        let text = try format(document, predictions: predictions)
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw EvaluationInputError(
                file: url.path, line: nil,
                problem: "cannot write the predictions file (\(error.localizedDescription))")
        }
    }

    private static func documentPredictions(_ document: CoNLLDocument) throws -> [[String]] {
        try document.sentences.enumerated().map { index, sentence in
            guard let tags = sentence.predictedTags else {
                throw EvaluationArgumentError(
                    "\(document.fileName): sentence \(index + 1) has no predicted tags to write; "
                        + "pass the predictions")
            }
            return tags
        }
    }
}
