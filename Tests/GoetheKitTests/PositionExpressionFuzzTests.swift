import Foundation
import GoetheKit
import TestSupport
import Testing

/// Seeded fuzzing of the positions, times and durations people type: every time in the range reads
/// back exactly in every form, every time past either end is refused as out of range, and any text
/// at all is either read or refused with one clean line. GOETHE_FUZZ_SEED replays a run.
@Suite struct PositionExpressionFuzzTests {
  static let now = Date(timeIntervalSince1970: 1_774_785_600)
  static let zones = [
    "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "Pacific/Kiritimati",
    "America/St_Johns",
  ].map { TimeZone(identifier: $0)! }
  static let utc = TimeZone(identifier: "UTC")!

  @Test func everyTimeReadsBackInEveryForm() {
    var random = SplitMix64(seed: Fuzzing.seed)
    for _ in 0..<Fuzzing.iterations(2_000) {
      let time = Self.time(&random)
      let zone = Self.zones.randomElement(using: &random)!
      let reader = PositionExpression(now: Self.now, timeZone: zone)
      for text in Self.spellings(of: time, in: zone) {
        #expect((try? reader.time(text)) == time, "\(text) in \(zone.identifier), seed \(Fuzzing.seed)")
      }
      // As goethectl prints times: to the microsecond, with the zone's offset.
      let printed = Self.rfc3339(time, in: zone, fractionDigits: 6)
      #expect((try? reader.time(printed)) == time - time % 1_000, "\(printed), seed \(Fuzzing.seed)")
    }
  }

  @Test func timesPastEitherEndAreOutOfRange() {
    var random = SplitMix64(seed: Fuzzing.seed)
    let last = (seconds: UInt64.max / 1_000_000_000, fraction: UInt64.max % 1_000_000_000)
    for _ in 0..<Fuzzing.iterations(2_000) {
      let reader = PositionExpression(now: Self.now, timeZone: Self.zones.randomElement(using: &random)!)
      let seconds = UInt64.random(in: last.seconds + 1...UInt64.max, using: &random)
      let year = Int.random(in: 2555...9999, using: &random)
      let early = Int.random(in: 0...1968, using: &random)
      let texts = [
        "@\(seconds)", "@\(last.seconds).\(UInt64.random(in: last.fraction + 1...999_999_999, using: &random))",
        "@\(seconds)\(UInt64.random(in: 0...UInt64.max, using: &random))",
        String(
          format: "%04d-%02d-%02dT12:00:00Z", year, Int.random(in: 1...12, using: &random),
          Int.random(in: 1...28, using: &random)),
        String(format: "%04d-01-01", year), String(format: "%04d-06-30 23:59:59.999999999", early),
        String(format: "%04d-12-31T23:59:59-01:00", early),
        "\(UInt64.random(in: 1_774_785_601...UInt64.max, using: &random)) seconds ago",
        "\(UInt64.random(in: 20_542...UInt64.max, using: &random))d ago",
      ]
      for text in texts {
        let error = #expect(throws: GoetheError.self, "\(text), seed \(Fuzzing.seed)") { try reader.position(text) }
        #expect(
          error?.message.contains("out of range: event ids hold times from \(EventTime.range)") == true,
          "\(text): \(error?.message ?? ""), seed \(Fuzzing.seed)")
      }
    }
  }

  @Test func relativeTimesAreExactOrOutOfRange() {
    var random = SplitMix64(seed: Fuzzing.seed)
    let units: [(String, UInt64)] = [
      ("s", 1), ("secs", 1), ("m", 60), ("minutes", 60), ("h", 3_600), ("d", 86_400), ("weeks", 604_800),
    ]
    let reader = PositionExpression(now: Self.now, timeZone: Self.utc)
    let nowSeconds = UInt64(Self.now.timeIntervalSince1970)
    for _ in 0..<Fuzzing.iterations(2_000) {
      let (unit, scale) = units.randomElement(using: &random)!
      let count = random.next() >> UInt64.random(in: 0...63, using: &random)
      let text = "\(count)\(Bool.random(using: &random) ? " " : "")\(unit) ago"
      let (elapsed, overflow) = count.multipliedReportingOverflow(by: scale)
      if !overflow, elapsed <= nowSeconds {
        #expect((try? reader.time(text)) == (nowSeconds - elapsed) * 1_000_000_000, "\(text), seed \(Fuzzing.seed)")
      } else {
        let error = #expect(throws: GoetheError.self) { try reader.time(text) }
        #expect(error?.message.contains("out of range") == true, "\(text), seed \(Fuzzing.seed)")
      }
    }
  }

  @Test func anyTextIsReadOrRefusedInOneLine() {
    var random = SplitMix64(seed: Fuzzing.seed)
    for _ in 0..<Fuzzing.iterations(3_000) {
      let zone = Self.zones.randomElement(using: &random)!
      let reader = PositionExpression(now: Self.now, timeZone: zone)
      let text: String
      if Bool.random(using: &random) {
        text = random.string(of: Self.pieces, count: 0...12)
      } else {
        let valid = Self.spellings(of: Self.time(&random), in: zone).randomElement(using: &random)!
        let scalars = random.mutated(Array(valid.unicodeScalars)) { random in
          Self.pieces.randomElement(using: &random)!.unicodeScalars.first ?? "0"
        }
        text = String(String.UnicodeScalarView(scalars))
      }
      do {
        if case .time(let time) = try reader.position(text) {
          // A time accepted, whatever it looked like, is one that reads back.
          #expect((try? reader.time(Self.epochSeconds(time))) == time, "\(text.debugDescription), seed \(Fuzzing.seed)")
        }
      } catch {
        Self.expectOneCleanLine(error, text)
      }
      do {
        let duration = try DurationExpression.parse(text)
        #expect(
          duration >= .milliseconds(1) && duration <= .seconds(86_400), "\(text.debugDescription), seed \(Fuzzing.seed)"
        )
      } catch {
        Self.expectOneCleanLine(error, text)
      }
    }
  }

  /// What a parser finds hard: digits and separators of every form, words, signs, control and
  /// other Unicode characters that look like digits, spaces or nothing.
  static let pieces = [
    "0", "1", "5", "9", "12", "60", "2019", "2554", "18446744073", "99999999999999999999", "-", "--", ":", "T", "t",
    "Z", "z", " ", "  ", ".", "@", "+", "ago", " ago", "s", "m", "h", "d", "w", "ms", "min", "weeks", "now", "today",
    "yesterday", "beginning", "end", "e", "E", "inf", "nan", "0x1p3", "\n", "\r", "\t", "\u{0}", "\u{1B}", "\u{7F}",
    "\u{85}", "\u{9B}", "\u{A0}", "\u{200B}", "\u{2028}", "٣", "１", "½", "é", "\u{301}", "🕰️", "'", "\"", "\\",
  ]

  static func expectOneCleanLine(_ error: GoetheError, _ text: String) {
    #expect(error.code == .invalidArgument, "\(text.debugDescription), seed \(Fuzzing.seed)")
    #expect(
      !error.message.unicodeScalars.contains { $0.properties.generalCategory == .control },
      "\(error.message.debugDescription), seed \(Fuzzing.seed)")
  }

  /// A time in the range, now and then at or near either end.
  static func time(_ random: inout SplitMix64) -> UInt64 {
    switch Int.random(in: 0..<8, using: &random) {
    case 0: UInt64.random(in: 0...100_000_000_000_000, using: &random)
    case 1: UInt64.max - UInt64.random(in: 0...100_000_000_000_000, using: &random)
    default: random.next()
    }
  }

  /// `time` as `@seconds.nanoseconds`, in RFC 3339 in UTC and with the zone's offset, and in local
  /// time when the zone's clocks show it only once.
  static func spellings(of time: UInt64, in zone: TimeZone) -> [String] {
    var spellings = [
      epochSeconds(time), rfc3339(time, in: utc, fractionDigits: 9), rfc3339(time, in: zone, fractionDigits: 9),
    ]
    if time % 1_000_000_000 == 0 { spellings.append("@\(time / 1_000_000_000)") }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let date = Date(timeIntervalSince1970: Double(time / 1_000_000_000))
    let local = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    if calendar.date(from: local) == date, (0...9999).contains(local.year!) {
      spellings.append(
        String(
          format: "%04d-%02d-%02d %02d:%02d:%02d.%09d", local.year!, local.month!, local.day!, local.hour!,
          local.minute!,
          local.second!, Int(time % 1_000_000_000)))
    }
    return spellings
  }

  static func epochSeconds(_ time: UInt64) -> String {
    "@\(time / 1_000_000_000)." + String(format: "%09d", Int(time % 1_000_000_000))
  }

  /// RFC 3339 with the zone's offset at that time, rounded to the minute, as goethectl prints it.
  static func rfc3339(_ time: UInt64, in zone: TimeZone, fractionDigits: Int) -> String {
    let date = Date(timeIntervalSince1970: Double(time / 1_000_000_000))
    let offset = zone.secondsFromGMT(for: date) / 60 * 60
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: offset)!
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    let fraction = String(format: "%09d", Int(time % 1_000_000_000)).prefix(fractionDigits)
    let sign = offset < 0 ? "-" : "+"
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%@%@%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!,
      parts.minute!,
      parts.second!, String(fraction), sign, abs(offset) / 3_600, abs(offset) % 3_600 / 60)
  }
}
