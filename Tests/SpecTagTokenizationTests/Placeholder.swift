import XCTest

final class SpecTagTokenizationPlaceholder: XCTestCase {}
