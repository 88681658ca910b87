import XCTest

final class SpecTagAlertsPlaceholder: XCTestCase {}
