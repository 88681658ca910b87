import XCTest

final class SpecTagEvaluationPlaceholder: XCTestCase {}
