import XCTest

final class SpecTagArgumentsPlaceholder: XCTestCase {}
