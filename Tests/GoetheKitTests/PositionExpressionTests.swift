import Foundation
import GoetheKit
import Testing

@Suite struct PositionExpressionTests {
  /// 2026-03-29T12:00:00Z, the day central Europe moves its clocks forward.
  static let now = Date(timeIntervalSince1970: 1_774_785_600)
  static let utc = TimeZone(identifier: "UTC")!
  static let berlin = TimeZone(identifier: "Europe/Berlin")!
  static let newYork = TimeZone(identifier: "America/New_York")!

  func nanos(_ seconds: Double) -> UInt64 { UInt64((seconds * 1_000).rounded()) * 1_000_000 }

  @Test(arguments: [
    ("beginning", Position.beginning), ("end", .end), ("1556841600000000000", .event(1_556_841_600_000_000_000)),
  ])
  func readsNamedPositionsAndIds(text: String, expected: Position) throws {
    #expect(try PositionExpression(now: Self.now, timeZone: Self.utc).position(text) == expected)
  }

  @Test func readsUTCDatesAndTimes() throws {
    let reader = PositionExpression(now: Self.now, timeZone: Self.utc)
    #expect(try reader.time("2019-05-03") == 1_556_841_600 * 1_000_000_000)
    #expect(try reader.time("2019-05-03 14:00") == (1_556_841_600 + 14 * 3_600) * 1_000_000_000)
    #expect(try reader.time("2019-05-03 14:00:05") == (1_556_841_600 + 14 * 3_600 + 5) * 1_000_000_000)
    #expect(try reader.time("2019-05-03T14:00") == (1_556_841_600 + 14 * 3_600) * 1_000_000_000)
  }

  @Test func readsLocalDatesInTheGivenZone() throws {
    // Midnight in Berlin on 2019-05-03 (summer time, UTC+2) is 22:00 UTC the day before.
    let berlin = PositionExpression(now: Self.now, timeZone: Self.berlin)
    #expect(try berlin.time("2019-05-03") == (1_556_841_600 - 2 * 3_600) * 1_000_000_000)
    // New York in winter is UTC-5.
    let newYork = PositionExpression(now: Self.now, timeZone: Self.newYork)
    #expect(try newYork.time("2019-01-15 09:30") == 1_547_562_600 * 1_000_000_000)
  }

  @Test func localTimesAcrossTheDSTChange() throws {
    let berlin = PositionExpression(now: Self.now, timeZone: Self.berlin)
    // 2026-03-29 01:00 is still winter time (UTC+1); 04:00 is summer time (UTC+2).
    #expect(try berlin.time("2026-03-29 01:00") == 1_774_742_400 * 1_000_000_000)
    #expect(try berlin.time("2026-03-29 04:00") == 1_774_749_600 * 1_000_000_000)
  }

  @Test func readsRFC3339WithZonesExactly() throws {
    // The reader's own zone must not matter when the text has one.
    for zone in [Self.utc, Self.berlin, Self.newYork] {
      let reader = PositionExpression(now: Self.now, timeZone: zone)
      #expect(try reader.time("2019-05-03T14:00:00Z") == (1_556_841_600 + 14 * 3_600) * 1_000_000_000)
      #expect(try reader.time("2019-05-03T14:00:00+02:00") == (1_556_841_600 + 12 * 3_600) * 1_000_000_000)
      #expect(try reader.time("2019-05-03T14:00:00-0530") == (1_556_841_600 + 19 * 3_600 + 1_800) * 1_000_000_000)
      #expect(try reader.time("2019-05-03T14:00:00.25Z") == (1_556_841_600 + 14 * 3_600) * 1_000_000_000 + 250_000_000)
    }
  }

  @Test func readsEpochSeconds() throws {
    let reader = PositionExpression(now: Self.now, timeZone: Self.utc)
    #expect(try reader.time("@1556841600") == 1_556_841_600 * 1_000_000_000)
    #expect(try reader.time("@1556841600.5") == 1_556_841_600 * 1_000_000_000 + 500_000_000)
  }

  @Test(arguments: [("90s ago", 90.0), ("15m ago", 900), ("2h ago", 7_200), ("3d ago", 259_200), ("15 min ago", 900)])
  func readsRelativeTimes(text: String, seconds: Double) throws {
    let reader = PositionExpression(now: Self.now, timeZone: Self.utc)
    #expect(try reader.time(text) == nanos(Self.now.timeIntervalSince1970 - seconds))
  }

  @Test func readsNowTodayYesterdayInTheGivenZone() throws {
    let utc = PositionExpression(now: Self.now, timeZone: Self.utc)
    #expect(try utc.time("now") == nanos(Self.now.timeIntervalSince1970))
    #expect(try utc.time("today") == 1_774_742_400 * 1_000_000_000)
    #expect(try utc.time("yesterday") == (1_774_742_400 - 86_400) * 1_000_000_000)
    let berlin = PositionExpression(now: Self.now, timeZone: Self.berlin)
    // Berlin's 2026-03-29 began at 23:00 UTC the day before (still winter time at midnight).
    #expect(try berlin.time("today") == (1_774_742_400 - 3_600) * 1_000_000_000)
  }

  @Test(arguments: [
    "", "tomorrow-ish", "2019-13-01", "2019-02-30", "2019-05-03 25:00", "15x ago", "@", "@12a", "ago", "2019/05/03",
    "2019-05-03T14:00:00+25:00x",
  ])
  func rejectsWithTheAcceptedForms(text: String) {
    let reader = PositionExpression(now: Self.now, timeZone: Self.utc)
    #expect {
      _ = try reader.position(text)
    } throws: { error in
      guard let error = error as? GoetheError else { return false }
      return error.code == .invalidArgument && error.message.contains("15m ago")
        && error.message.contains("@1556841600")
    }
  }

  @Test func timeRefusesNonTimes() {
    let reader = PositionExpression(now: Self.now, timeZone: Self.utc)
    #expect(throws: GoetheError.self) { try reader.time("beginning") }
    #expect(throws: GoetheError.self) { try reader.time("12345") }
  }
}

extension PositionExpressionTests {
  @Test func refusesTimesBeyondTheRangeOfIds() throws {
    let reader = PositionExpression(now: Self.now, timeZone: Self.utc)
    #expect(throws: GoetheError.self) { try reader.time("2999-01-01") }
    #expect(try reader.time("2500-01-01T00:00:00Z") == 16_725_225_600 * 1_000_000_000)
  }
}
