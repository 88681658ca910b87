import XCTest
@testable import SpecTagSpeculation

final class LexicalDrafterTests: XCTestCase {
    // MARK: Learning

    func testTaggerLearnsHandWrittenDataPerfectly() throws {
        let drafter = try LexicalTestData.trainedDrafter()
        for (index, sentence) in LexicalTestData.ner.enumerated() {
            let expected = sentence.tags.map(LexicalTestData.tagID)
            XCTAssertEqual(drafter.tagIDs(for: sentence.words), expected, "greedy tags of sentence \(index)")
            var session = drafter.makeSession(words: sentence.words)
            for position in expected.indices {
                let proposal = session.draft(acceptedTags: Array(expected[..<position]), count: 1)
                XCTAssertEqual(proposal, [expected[position]], "next tag of sentence \(index) at word \(position)")
            }
        }
    }

    func testSentimentLearnsHandWrittenDataPerfectly() throws {
        let drafter = try LexicalTestData.trainedDrafter()
        for (index, sentence) in LexicalTestData.sentiment.enumerated() {
            let predicted = drafter.sentimentLabels[drafter.sentimentID(for: sentence.words)]
            XCTAssertEqual(predicted, sentence.label, "sentiment of sentence \(index)")
        }
    }

    func testDrafterNameIsLexical() throws {
        XCTAssertEqual(try LexicalTestData.trainedDrafter(epochs: 1).name, "lexical")
    }

    // MARK: Drafting from a prefix

    func testDraftContinuesFromAcceptedPrefix() throws {
        let drafter = try LexicalTestData.trainedDrafter()
        var session = drafter.makeSession(words: LexicalTestData.words("Deutsche Bank rose ."))
        let afterOrganization = session.draft(acceptedTags: [LexicalTestData.tagID("B-ORG")], count: 1)
        let afterOutside = session.draft(acceptedTags: [LexicalTestData.tagID("O")], count: 1)
        XCTAssertEqual(afterOrganization, [LexicalTestData.tagID("I-ORG")], "Bank continues the organization")
        XCTAssertEqual(afterOutside, [LexicalTestData.tagID("B-ORG")], "Bank after O starts an organization")
    }

    func testDraftReturnsTagsThenSentiment() throws {
        let drafter = try LexicalTestData.trainedDrafter()
        let words = LexicalTestData.words("Shares dropped on a profit warning .")
        var session = drafter.makeSession(words: words)
        let all = session.draft(acceptedTags: [], count: 100)
        XCTAssertEqual(all.count, words.count + 1, "one class per word plus the sentiment")
        XCTAssertEqual(all.last, drafter.sentimentLabels.firstIndex(of: "negative"))
        let accepted = Array(all.prefix(words.count))
        XCTAssertEqual(session.draft(acceptedTags: accepted, count: 3), [all[words.count]], "only the sentiment is left")
        XCTAssertEqual(session.draft(acceptedTags: Array(accepted.prefix(2)), count: 3), Array(all[2 ..< 5]))
    }

    func testDraftRespectsCountAndEmptyCases() throws {
        let drafter = try LexicalTestData.trainedDrafter()
        var session = drafter.makeSession(words: LexicalTestData.words("Apple hired Tim Cook ."))
        XCTAssertEqual(session.draft(acceptedTags: [], count: 0), [])
        XCTAssertEqual(session.draft(acceptedTags: [], count: 2).count, 2)
        XCTAssertEqual(session.draft(acceptedTags: [0, 0, 0, 0, 0, 0], count: 2), [], "more accepted tags than words")

        var empty = drafter.makeSession(words: [])
        let proposal = empty.draft(acceptedTags: [], count: 4)
        XCTAssertEqual(proposal.count, 1, "an empty sentence has only the sentiment slot")
        XCTAssertTrue(drafter.sentimentLabels.indices.contains(try XCTUnwrap(proposal.first)))
    }

    func testDraftReadsInvalidTagAsStart() throws {
        let drafter = try LexicalTestData.trainedDrafter()
        var session = drafter.makeSession(words: LexicalTestData.words("Deutsche Bank rose ."))
        let proposal = session.draft(acceptedTags: [99], count: 1)
        XCTAssertEqual(proposal.count, 1)
        let first = try XCTUnwrap(proposal.first)
        XCTAssertTrue(drafter.tags.indices.contains(first), "proposal \(first) is a tag id")
        let tag = drafter.tags[first]
        XCTAssertFalse(tag.hasPrefix("I-"), "no training sentence starts with an inside tag, got \(tag)")
    }

    func testDrafterProposesOnlyObservedTransitions() throws {
        let drafter = try LexicalTestData.trainedDrafter()
        for sentence in randomTinyTaggerSentences(count: 40, maximumLength: 12, seed: 3) {
            let tags = drafter.tagIDs(for: sentence).map { drafter.tags[$0] }
            for (previous, tag) in zip(["start"] + tags, tags) where tag.hasPrefix("I-") {
                let type = tag.dropFirst(2)
                XCTAssertTrue(previous == "B-\(type)" || previous == tag, "\(sentence): \(tag) after \(previous) never occurs in training")
            }
        }
    }

    // MARK: Training errors

    func testTrainerRejectsTagCountMismatch() {
        let trainer = LexicalDrafterTrainer(configuration: .init(epochs: 1))
        XCTAssertThrowsError(try trainer.train(ner: [(["Apple", "rose"], ["B-ORG"])], sentiment: LexicalTestData.sentiment)) { error in
            XCTAssertTrue("\(error)".contains("sentence 1 has 2 words but 1 tags"), "\(error)")
        }
    }

    func testTrainerRejectsUnknownTagAndLabel() {
        let trainer = LexicalDrafterTrainer(configuration: .init(epochs: 1))
        XCTAssertThrowsError(try trainer.train(ner: [(["Apple"], ["B-COMPANY"])], sentiment: LexicalTestData.sentiment)) { error in
            XCTAssertTrue("\(error)".contains("'B-COMPANY'"), "\(error)")
        }
        XCTAssertThrowsError(try trainer.train(ner: LexicalTestData.ner, sentiment: [(["Good"], "bullish")])) { error in
            XCTAssertTrue("\(error)".contains("'bullish'"), "\(error)")
        }
    }

    func testTrainerRejectsMissingDataAndZeroEpochs() {
        let trainer = LexicalDrafterTrainer(configuration: .init(epochs: 1))
        XCTAssertThrowsError(try trainer.train(ner: [], sentiment: LexicalTestData.sentiment)) { error in
            XCTAssertTrue("\(error)".contains("no NER sentence"), "\(error)")
        }
        XCTAssertThrowsError(try trainer.train(ner: LexicalTestData.ner, sentiment: [([], "neutral")])) { error in
            XCTAssertTrue("\(error)".contains("no sentiment sentence"), "\(error)")
        }
        let zero = LexicalDrafterTrainer(configuration: .init(epochs: 0))
        XCTAssertThrowsError(try zero.train(ner: LexicalTestData.ner, sentiment: LexicalTestData.sentiment)) { error in
            XCTAssertTrue("\(error)".contains("epochs is 0"), "\(error)")
        }
    }

    func testTrainingIsReproducible() throws {
        let first = try LexicalTestData.trainedDrafter(epochs: 3)
        let second = try LexicalTestData.trainedDrafter(epochs: 3)
        XCTAssertEqual(first.serialized(), second.serialized(), "same data and seed give the same file")
    }

    func testTrainerReportsEveryEpoch() throws {
        var reports: [LexicalDrafterTrainer.EpochReport] = []
        let trainer = LexicalDrafterTrainer(configuration: .init(epochs: 3))
        _ = try trainer.train(
            ner: LexicalTestData.ner, sentiment: LexicalTestData.sentiment,
            heldOutNER: Array(LexicalTestData.ner.prefix(2)), heldOutSentiment: Array(LexicalTestData.sentiment.prefix(2))
        ) { event in
            if case .epoch(let report) = event { reports.append(report) }
        }
        XCTAssertEqual(reports.filter { $0.task == .tagger }.map(\.epoch), [1, 2, 3])
        XCTAssertEqual(reports.filter { $0.task == .sentiment }.map(\.epoch), [1, 2, 3])
        XCTAssertNotNil(reports.last(where: { $0.task == .tagger })?.heldOutAccuracy)
        XCTAssertNotNil(reports.last(where: { $0.task == .tagger })?.heldOutGreedyAccuracy)
        XCTAssertNotNil(reports.last(where: { $0.task == .sentiment })?.heldOutAccuracy)
    }

    // MARK: Compatibility

    func testCompatibilityCheckNamesDifferingLists() throws {
        let drafter = try LexicalTestData.trainedDrafter(epochs: 1)
        XCTAssertNoThrow(try drafter.checkCompatibility(tags: LexicalDrafter.defaultTags, sentimentLabels: LexicalDrafter.defaultSentimentLabels))
        XCTAssertThrowsError(try drafter.checkCompatibility(tags: ["O", "B-PER"], sentimentLabels: LexicalDrafter.defaultSentimentLabels)) { error in
            XCTAssertTrue("\(error)".contains("tags"), "\(error)")
        }
        XCTAssertThrowsError(try drafter.checkCompatibility(tags: LexicalDrafter.defaultTags, sentimentLabels: ["bearish", "bullish"])) { error in
            XCTAssertTrue("\(error)".contains("sentiment labels"), "\(error)")
        }
    }
}
