// MARK: - Options

/// Settings for `Conlleval`.
public struct ConllevalOptions: Equatable, Sendable {
    /// The treatment of `-DOCSTART-` lines in scoring.
    public enum DocumentStartHandling: Equatable, Sendable {
        /// Count each `-DOCSTART-` line as one token tagged `O` in both columns, as conlleval.pl
        /// does on a file that contains them. This adds to the token count and the accuracy,
        /// never to the phrase counts.
        case countAsTokens
        /// Leave `-DOCSTART-` lines out, which gives the figures of conlleval.pl on a file
        /// without them (51,362 tokens instead of 51,578 on CoNLL-2003 dev).
        case ignore
    }

    public var documentStarts: DocumentStartHandling

    public init(documentStarts: DocumentStartHandling = .countAsTokens) {
        self.documentStarts = documentStarts
    }
}

// MARK: - Scoring documents

/// Scores NER output with conlleval.pl's phrase rules and counts.
///
/// `Conlleval.score(document)` on a document read from a predictions file, with the default
/// options and `CoNLLReadOptions.convertsToIOB2` set to `false`, gives the numbers that
/// conlleval.pl prints for that file. A file written by `CoNLLPredictionWriter` gives the same
/// numbers with either setting, because the writer writes the tags that were scored.
public enum Conlleval {
    /// Scores the gold tags of `document` against its predicted column.
    ///
    /// - Throws: `EvaluationArgumentError` when the document was read without a prediction
    ///   column.
    public static func score(_ document: CoNLLDocument, options: ConllevalOptions = .init()) throws -> ConllevalScores {
        var predictions: [[String]] = []
        for (index, sentence) in document.sentences.enumerated() {
            guard let tags = sentence.predictedTags else {
                throw EvaluationArgumentError(
                    "\(document.fileName): sentence \(index + 1) has no predicted tags; "
                        + "read the file with hasPredictionColumn set, or pass the predictions")
            }
            predictions.append(tags)
        }
        return try score(document, predictions: predictions, options: options)
    }

    /// Scores the gold tags of `document` against `predictions`, one tag array per sentence
    /// in the order of `document.sentences`.
    ///
    /// - Throws: `EvaluationArgumentError` when the number of sentences or of tags in a
    ///   sentence differs from the document.
    public static func score(
        _ document: CoNLLDocument, predictions: [[String]], options: ConllevalOptions = .init()
    ) throws -> ConllevalScores {
        try validatePredictions(predictions, for: document)

        var counter = ConllevalCounter()
        var sentenceIndex = 0
        var isFirstElement = true
        for element in document.elements {
            if !isFirstElement {
                counter.addSentenceBoundary()
            }
            isFirstElement = false
            switch element {
            case .documentStart:
                if options.documentStarts == .countAsTokens {
                    counter.addToken(gold: "O", predicted: "O")
                }
            case .sentence(let sentence):
                for (token, predicted) in zip(sentence.tokens, predictions[sentenceIndex]) {
                    counter.addToken(gold: token.goldTag, predicted: predicted)
                }
                sentenceIndex += 1
            }
        }
        return counter.scores()
    }

    /// Checks that `predictions` has one tag per token of `document`.
    ///
    /// - Throws: `EvaluationArgumentError` naming the first sentence that does not match.
    static func validatePredictions(_ predictions: [[String]], for document: CoNLLDocument) throws {
        let sentences = document.sentences
        guard predictions.count == sentences.count else {
            throw EvaluationArgumentError(
                "\(document.fileName): got predictions for \(predictions.count) sentences, "
                    + "but the file has \(sentences.count)")
        }
        for (index, (sentence, tags)) in zip(sentences, predictions).enumerated()
        where sentence.tokens.count != tags.count {
            let firstLine = sentence.tokens.first?.lineNumber ?? 0
            throw EvaluationArgumentError(
                "\(document.fileName): sentence \(index + 1) (line \(firstLine)) has "
                    + "\(sentence.tokens.count) tokens, but got \(tags.count) predicted tags")
        }
    }
}
