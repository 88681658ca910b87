import Foundation
import SpecTagEvaluation
import XCTest

final class SentimentEvaluationTests: XCTestCase {
    private let gold = ["positive", "positive", "positive", "neutral", "neutral", "negative", "negative", "neutral", "positive", "negative"]
    private let predicted = ["positive", "neutral", "positive", "neutral", "positive", "negative", "neutral", "neutral", "positive", "negative"]

    func testMetricsByHand() throws {
        let evaluation = try SentimentEvaluation(gold: gold, predicted: predicted)

        XCTAssertEqual(evaluation.labels, ["negative", "neutral", "positive"])
        // Rows are gold, columns predicted. negative: 2 correct, 1 as neutral. neutral: 2 correct,
        // 1 as positive. positive: 3 correct, 1 as neutral.
        XCTAssertEqual(evaluation.confusionMatrix, [[2, 1, 0], [0, 2, 1], [0, 1, 3]])
        XCTAssertEqual(evaluation.accuracy, 0.7, accuracy: 1e-12)

        let classes = evaluation.report.classes
        // negative: P 2/2, R 2/3, F1 2·2/(3+2). neutral: P 2/4, R 2/3, F1 4/7.
        // positive: P 3/4, R 3/4, F1 6/8.
        XCTAssertEqual(classes[0].precision, 1, accuracy: 1e-12)
        XCTAssertEqual(classes[0].recall, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(classes[0].f1Score, 0.8, accuracy: 1e-12)
        XCTAssertEqual(classes[1].precision, 0.5, accuracy: 1e-12)
        XCTAssertEqual(classes[1].f1Score, 4.0 / 7.0, accuracy: 1e-12)
        XCTAssertEqual(classes[2].f1Score, 0.75, accuracy: 1e-12)
        XCTAssertEqual(classes.map(\.support), [3, 3, 4])
        XCTAssertEqual(evaluation.macroF1, (0.8 + 4.0 / 7.0 + 0.75) / 3, accuracy: 1e-12)
    }

    func testFormattedReportAppendsConfusionMatrix() throws {
        let evaluation = try SentimentEvaluation(gold: gold, predicted: predicted)

        // The report part was printed by scikit-learn 1.9.1:
        // print(classification_report(gold, predicted, zero_division=0))
        let expected = """
                          precision    recall  f1-score   support

                negative       1.00      0.67      0.80         3
                 neutral       0.50      0.67      0.57         3
                positive       0.75      0.75      0.75         4

                accuracy                           0.70        10
               macro avg       0.75      0.69      0.71        10
            weighted avg       0.75      0.70      0.71        10

            confusion matrix (rows: gold, columns: predicted)
                     negative  neutral positive
            negative        2        1        0
             neutral        0        2        1
            positive        0        1        3

            """
        XCTAssertEqual(evaluation.formatted(), expected)
    }

    func testExplicitLabelOrderAndUnknownLabel() throws {
        let order = ["positive", "neutral", "negative"]
        let evaluation = try SentimentEvaluation(gold: gold, predicted: predicted, labels: order)

        XCTAssertEqual(evaluation.labels, order)
        XCTAssertEqual(evaluation.confusionMatrix, [[3, 1, 0], [1, 2, 0], [0, 1, 2]])
        XCTAssertThrowsError(try SentimentEvaluation(gold: gold, predicted: predicted, labels: ["positive", "negative"])) { error in
            XCTAssertTrue(String(describing: error).contains("'neutral'"), String(describing: error))
        }
    }

    func testEvaluationRoundTripsThroughJSON() throws {
        let evaluation = try SentimentEvaluation(gold: gold, predicted: predicted)
        let data = try JSONEncoder().encode(evaluation)

        XCTAssertEqual(try JSONDecoder().decode(SentimentEvaluation.self, from: data), evaluation)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertNotNil(object["macroF1"] as? Double)
        XCTAssertEqual(object["confusionMatrix"] as? [[Int]], [[2, 1, 0], [0, 2, 1], [0, 1, 3]])
    }
}
