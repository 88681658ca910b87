import XCTest

final class SpecTagModelsPlaceholder: XCTestCase {}
