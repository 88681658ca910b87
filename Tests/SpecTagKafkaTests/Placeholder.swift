import XCTest

final class SpecTagKafkaPlaceholder: XCTestCase {}
