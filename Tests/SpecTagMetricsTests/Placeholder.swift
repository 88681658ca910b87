import XCTest

final class SpecTagMetricsPlaceholder: XCTestCase {}
