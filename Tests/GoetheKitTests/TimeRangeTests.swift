import Foundation
import GoetheKit
import Testing

/// Times outside what an event id can hold are refused in every form, with the range in the
/// message, instead of wrapping around (`@20000000000` read as 2^64 ns less) or being clamped.
@Suite struct TimeRangeTests {
  static let now = Date(timeIntervalSince1970: 1_774_785_600)
  static let utc = TimeZone(identifier: "UTC")!
  static let kolkata = TimeZone(identifier: "Asia/Kolkata")!

  @Test(arguments: [
    "@20000000000", "@18446744074", "@18446744073.709551616", "@18446744073.7095516151",
    "@" + String(repeating: "9", count: 400), "2554-07-23", "2554-07-23 00:00", "2600-01-01T00:00:00Z",
    "2554-07-21T23:34:33.709551616Z", "2554-07-22T00:35:00+01:00", "1969-12-31T23:59:59.999999999Z", "1900-01-01",
    "0000-01-01 00:00:00", "1000000d ago", "99999999999999999999 weeks ago",
    String(repeating: "9", count: 400) + "s ago",
  ])
  func refusesTimesOutsideTheRange(text: String) {
    for zone in [Self.utc, Self.kolkata] {
      let error = #expect(throws: GoetheError.self) {
        try PositionExpression(now: Self.now, timeZone: zone).position(text)
      }
      #expect(error?.code == .invalidArgument)
      #expect(error?.message.contains("out of range") == true, "\(text): \(error?.message ?? "")")
      #expect(error?.message.contains(EventTime.range) == true)
    }
  }

  @Test func acceptsBothEndsExactly() throws {
    let reader = PositionExpression(now: Self.now, timeZone: Self.utc)
    #expect(try reader.time("@0") == 0)
    #expect(try reader.time("1970-01-01T00:00:00Z") == 0)
    #expect(try reader.time("1970-01-01") == 0)
    #expect(try reader.time("@18446744073.709551615") == .max)
    #expect(try reader.time("2554-07-21T23:34:33.709551615Z") == .max)
    #expect(try reader.time("2554-07-22T00:34:33.709551615+01:00") == .max)
    #expect(try reader.time("2554-07-21 23:34:33") == 18_446_744_073_000_000_000)
  }

  @Test func readsFractionsToTheNanosecond() throws {
    let reader = PositionExpression(now: Self.now, timeZone: Self.kolkata)
    #expect(try reader.time("2026-03-29T12:00:00.000000001Z") == 1_774_785_600_000_000_001)
    #expect(try reader.time("2026-03-29T17:30:00.123456789+05:30") == 1_774_785_600_123_456_789)
    #expect(try reader.time("2026-03-29 17:30:00.000001") == 1_774_785_600_000_001_000)
    #expect(try reader.time("@1774785600.000000001") == 1_774_785_600_000_000_001)
    // Past nanoseconds, a time rounds up: the first event at or after it is the same.
    #expect(try reader.time("@1774785600.0000000001") == 1_774_785_600_000_000_001)
    #expect(try reader.time("@1774785600.9999999999") == 1_774_785_601_000_000_000)
  }

  @Test(arguments: ["@1.2.3", "@.5", "@5.", "@1e3", "@-1", "@ 5", "@١٢", "2019-05-03T14:00:00+01:99", "٢٠١٩-05-03"])
  func refusesMalformedTimes(text: String) {
    let error = #expect(throws: GoetheError.self) {
      try PositionExpression(now: Self.now, timeZone: Self.utc).position(text)
    }
    #expect(error?.message.hasPrefix("cannot read") == true, "\(text): \(error?.message ?? "")")
  }

  @Test(arguments: ["1e300s", "infs", "25h", "0.1ms", "0s", "-5s", String(repeating: "9", count: 400) + "ms"])
  func refusesDurationsOutsideTheRange(text: String) {
    let error = #expect(throws: GoetheError.self) { try DurationExpression.parse(text) }
    #expect(error?.message.contains("out of range: use \(DurationExpression.range)") == true, "\(error?.message ?? "")")
  }

  @Test func acceptsDurationsAtBothEnds() throws {
    #expect(try DurationExpression.parse("1ms") == .milliseconds(1))
    #expect(try DurationExpression.parse("24h") == .seconds(86_400))
    #expect(try DurationExpression.parse("1440m") == .seconds(86_400))
  }
}
