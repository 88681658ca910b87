import Foundation
import SpecTagEvaluation
import XCTest

final class ClassificationReportTests: XCTestCase {
    private let gold = "B-PER I-PER O O B-LOC O B-ORG I-ORG O O B-MISC O B-PER O O".split(separator: " ").map(String.init)
    private let predicted = "B-PER I-PER O B-LOC B-LOC O B-ORG O O O O O B-LOC O B-MISC".split(separator: " ").map(String.init)

    func testReportMatchesScikitLearnLayout() throws {
        let report = try ClassificationReport(gold: gold, predicted: predicted)

        // Printed by scikit-learn 1.9.1:
        // print(classification_report(gold, predicted, zero_division=0))
        let expected = """
                          precision    recall  f1-score   support

                   B-LOC       0.33      1.00      0.50         1
                  B-MISC       0.00      0.00      0.00         1
                   B-ORG       1.00      1.00      1.00         1
                   B-PER       1.00      0.50      0.67         2
                   I-ORG       0.00      0.00      0.00         1
                   I-PER       1.00      1.00      1.00         1
                       O       0.75      0.75      0.75         8

                accuracy                           0.67        15
               macro avg       0.58      0.61      0.56        15
            weighted avg       0.69      0.67      0.66        15

            """
        XCTAssertEqual(report.formatted(), expected)
    }

    func testReportWithLabelSubsetPrintsMicroAverage() throws {
        let labels = ["B-LOC", "B-MISC", "B-ORG", "B-PER", "I-ORG", "I-PER"]
        let report = try ClassificationReport(gold: gold, predicted: predicted, labels: labels)

        // Printed by scikit-learn 1.9.1:
        // print(classification_report(gold, predicted, labels=labels, digits=4, zero_division=0))
        let expected = """
                          precision    recall  f1-score   support

                   B-LOC     0.3333    1.0000    0.5000         1
                  B-MISC     0.0000    0.0000    0.0000         1
                   B-ORG     1.0000    1.0000    1.0000         1
                   B-PER     1.0000    0.5000    0.6667         2
                   I-ORG     0.0000    0.0000    0.0000         1
                   I-PER     1.0000    1.0000    1.0000         1

               micro avg     0.5714    0.5714    0.5714         7
               macro avg     0.5556    0.5833    0.5278         7
            weighted avg     0.6190    0.5714    0.5476         7

            """
        XCTAssertEqual(report.formatted(digits: 4), expected)
        XCTAssertFalse(report.microAverageIsAccuracy)
    }

    func testMicroAverageRowOnRequest() throws {
        let report = try ClassificationReport(gold: gold, predicted: predicted)
        let lines = report.formatted(includesMicroAverage: true).split(separator: "\n").map(String.init)

        XCTAssertEqual(lines.suffix(4).first, "    accuracy                           0.67        15")
        // With every label reported, micro precision, recall and F1 all equal the accuracy.
        XCTAssertEqual(lines.suffix(3).first, "   micro avg       0.67      0.67      0.67        15")
    }

    func testReportNumbersByHand() throws {
        let report = try ClassificationReport(gold: gold, predicted: predicted)

        // 10 of 15 tokens agree.
        XCTAssertEqual(report.accuracy, 10.0 / 15.0, accuracy: 1e-12)
        let perRow = try XCTUnwrap(report.classes.first { $0.label == "B-PER" })
        // B-PER: 2 gold, 1 predicted, 1 correct.
        XCTAssertEqual(perRow.precision, 1)
        XCTAssertEqual(perRow.recall, 0.5)
        XCTAssertEqual(perRow.f1Score, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(perRow.support, 2)
        let outside = try XCTUnwrap(report.classes.first { $0.label == "O" })
        // O: 8 gold, 8 predicted, 6 correct.
        XCTAssertEqual(outside.precision, 0.75)
        XCTAssertEqual(report.classes.map(\.label), ["B-LOC", "B-MISC", "B-ORG", "B-PER", "I-ORG", "I-PER", "O"])
        XCTAssertEqual(report.weightedAverage.support, 15)
    }

    func testReportRejectsInvalidArguments() {
        XCTAssertThrowsError(try ClassificationReport(gold: ["O"], predicted: ["O", "O"]))
        XCTAssertThrowsError(try ClassificationReport(gold: [], predicted: []))
        XCTAssertThrowsError(try ClassificationReport(gold: ["O"], predicted: ["O"], labels: []))
        XCTAssertThrowsError(try ClassificationReport(gold: ["O"], predicted: ["O"], labels: ["O", "O"]))
    }

    func testReportRoundTripsThroughJSON() throws {
        let report = try ClassificationReport(gold: gold, predicted: predicted)
        let decoded = try JSONDecoder().decode(ClassificationReport.self, from: JSONEncoder().encode(report))

        XCTAssertEqual(decoded, report)
    }
}
