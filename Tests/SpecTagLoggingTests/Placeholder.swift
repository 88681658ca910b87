import XCTest

final class SpecTagLoggingPlaceholder: XCTestCase {}
