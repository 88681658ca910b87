import XCTest

final class SpecTagStreamingPlaceholder: XCTestCase {}
