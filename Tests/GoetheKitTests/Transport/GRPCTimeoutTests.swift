import Testing

@testable import GoetheKit

/// The `grpc-timeout` header both ways: at most eight digits and one of its six units.
@Suite struct GRPCTimeoutTests {
  @Test func eachUnitIsRead() {
    #expect(GRPCTimeout.parse("2H") == .seconds(7_200))
    #expect(GRPCTimeout.parse("3M") == .seconds(180))
    #expect(GRPCTimeout.parse("10S") == .seconds(10))
    #expect(GRPCTimeout.parse("250m") == .milliseconds(250))
    #expect(GRPCTimeout.parse("99999999u") == .microseconds(99_999_999))
    #expect(GRPCTimeout.parse("0n") == .nanoseconds(0))
  }

  @Test(arguments: ["", "S", "123456789S", "10s", "1.5S", "-1S", "１S", "10", "10 S", "S10"])
  func aMalformedTimeoutIsNone(_ text: String) {
    #expect(GRPCTimeout.parse(text) == nil)
  }

  @Test(arguments: [Duration.nanoseconds(1), .microseconds(1_500), .seconds(10), .seconds(86_400 * 365)])
  func anEncodedTimeoutReadsBackAtLeastAsLong(_ timeout: Duration) throws {
    let read = try #require(GRPCTimeout.parse(GRPCTimeout.encoded(timeout)))
    #expect(read >= timeout)
  }
}
