import XCTest

final class SpecTagIntegrationPlaceholder: XCTestCase {}
