import XCTest

final class SpecTagSpeculationPlaceholder: XCTestCase {}
