// MARK: - Distillation

extension LexicalDrafterTrainer {
    /// The target's output for each of a batch of sentences: one tag id per word and the
    /// sentiment class id, in the order of the trainer's `tags` and `sentimentLabels`.
    public typealias TargetLabeler = ([[String]]) throws -> [(tags: [Int], sentiment: Int)]

    /// Trains a drafter on the target model's own output for unlabelled sentences, so that it
    /// learns to predict the target (mistakes included), which is what raises acceptance.
    ///
    /// The target labels the sentences in batches of `batchSize`. Every `heldOutEvery`-th
    /// labelled sentence is held out, and each epoch reports the agreement with the target on
    /// those. With 0, every sentence is trained on. Gold sentences, when given, are trained on together with the
    /// target's output.
    ///
    /// - Throws: what `labeler` throws; `LexicalDrafterError.invalidTargetOutput` when it returns
    ///   a result count, tag count or class id that does not fit; and the errors of `train`.
    public func distill(
        sentences unlabelled: [[String]], labeler: TargetLabeler, batchSize: Int = 32, heldOutEvery: Int = 20,
        goldNER: [NERSentence] = [], goldSentiment: [SentimentSentence] = [],
        progress: (Event) -> Void = { _ in }
    ) throws -> LexicalDrafter {
        guard batchSize >= 1, heldOutEvery >= 0 else {
            throw LexicalDrafterError.invalidTrainingData("batchSize must be at least 1 and heldOutEvery at least 0")
        }
        let sentences = unlabelled.filter { !$0.isEmpty }
        var ner: [NERSentence] = []
        var sentiment: [SentimentSentence] = []
        var heldOutNER: [NERSentence] = []
        var heldOutSentiment: [SentimentSentence] = []
        var start = 0
        while start < sentences.count {
            let batch = Array(sentences[start ..< min(start + batchSize, sentences.count)])
            let labels = try checkedLabels(for: batch, labeler: labeler)
            for (offset, (words, label)) in zip(batch, labels).enumerated() {
                let tagged: NERSentence = (words, label.tags.map { configuration.tags[$0] })
                let labelled: SentimentSentence = (words, configuration.sentimentLabels[label.sentiment])
                if heldOutEvery > 0, (start + offset + 1) % heldOutEvery == 0 {
                    heldOutNER.append(tagged)
                    heldOutSentiment.append(labelled)
                } else {
                    ner.append(tagged)
                    sentiment.append(labelled)
                }
            }
            start += batch.count
            progress(.labelled(done: start, total: sentences.count))
        }
        return try train(
            ner: ner + goldNER, sentiment: sentiment + goldSentiment,
            heldOutNER: heldOutNER, heldOutSentiment: heldOutSentiment, progress: progress)
    }

    /// Calls the labeler and checks that its output fits the batch and the label lists.
    private func checkedLabels(for batch: [[String]], labeler: TargetLabeler) throws -> [(tags: [Int], sentiment: Int)] {
        let labels = try labeler(batch)
        guard labels.count == batch.count else {
            throw LexicalDrafterError.invalidTargetOutput("\(labels.count) results for a batch of \(batch.count) sentences")
        }
        for (words, label) in zip(batch, labels) {
            guard label.tags.count == words.count else {
                throw LexicalDrafterError.invalidTargetOutput("\(label.tags.count) tags for a sentence of \(words.count) words")
            }
            if let tag = label.tags.first(where: { !configuration.tags.indices.contains($0) }) {
                throw LexicalDrafterError.invalidTargetOutput("tag id \(tag) is outside the \(configuration.tags.count) tags")
            }
            guard configuration.sentimentLabels.indices.contains(label.sentiment) else {
                throw LexicalDrafterError.invalidTargetOutput(
                    "sentiment id \(label.sentiment) is outside the \(configuration.sentimentLabels.count) labels")
            }
        }
        return labels
    }
}
