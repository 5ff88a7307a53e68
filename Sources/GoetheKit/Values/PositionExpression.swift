import Foundation

/// Reads the positions and times people type: `beginning`, `end`, an event id, `2019-05-03`,
/// `2019-05-03 14:00`, RFC 3339 (`2019-05-03T14:00:00Z`), `@1556841600`, `15m ago`, `now`,
/// `today`, `yesterday`. Dates without a zone are local time, as `journalctl --since` reads them.
public struct PositionExpression: Sendable {
  public var now: Date
  public var timeZone: TimeZone

  public init(now: Date = Date(), timeZone: TimeZone = .current) {
    self.now = now
    self.timeZone = timeZone
  }

  /// What a person can type, for error messages and help.
  public static let acceptedForms = """
    beginning, end, an event id (digits), 2019-05-03, "2019-05-03 14:00[:05]", \
    2019-05-03T14:00:00Z (RFC 3339 with a zone), @1556841600 (epoch seconds), \
    "90s ago", "15m ago", "2h ago", "3d ago", now, today, yesterday
    """

  /// A position: `beginning`, `end`, an event id, or a time.
  public func position(_ text: String) throws(GoetheError) -> Position {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    switch trimmed.lowercased() {
    case "beginning", "start", "first": return .beginning
    case "end", "last": return .end
    default: break
    }
    if !trimmed.isEmpty, trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber) {
      guard let id = UInt64(trimmed) else { throw invalid(text) }
      return .event(id)
    }
    return .time(try nanoseconds(trimmed, original: text))
  }

  /// A time in UNIX nanoseconds; positions that are not times are refused.
  public func time(_ text: String) throws(GoetheError) -> UInt64 {
    guard case .time(let time) = try position(text) else {
      throw GoetheError(.invalidArgument, "\"\(text)\" is not a time; use one of: \(Self.acceptedForms)")
    }
    return time
  }

  private func nanoseconds(_ text: String, original: String) throws(GoetheError) -> UInt64 {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let lowered = text.lowercased()
    switch lowered {
    case "now": return EventTime.nanoseconds(from: now)
    case "today": return EventTime.nanoseconds(from: calendar.startOfDay(for: now))
    case "yesterday":
      let today = calendar.startOfDay(for: now)
      return EventTime.nanoseconds(from: calendar.date(byAdding: .day, value: -1, to: today) ?? today)
    default: break
    }
    if lowered.hasPrefix("@") {
      guard let seconds = Decimal(string: String(lowered.dropFirst())), seconds >= 0,
        lowered.dropFirst().allSatisfy({ $0.isNumber || $0 == "." })
      else { throw invalid(original) }
      let nanos = NSDecimalNumber(decimal: seconds * 1_000_000_000).uint64Value
      return nanos
    }
    if lowered.hasSuffix(" ago") { return try relative(String(lowered.dropLast(4)), original: original) }
    if let date = rfc3339(text) ?? localDate(text, calendar: calendar) {
      guard date.timeIntervalSince1970 < Double(UInt64.max / 1_000_000_000) else {
        throw GoetheError(
          .invalidArgument, "\"\(original)\" is after 2554-07-21, the last time an event id (UNIX nanoseconds) can hold")
      }
      return EventTime.nanoseconds(from: date)
    }
    throw invalid(original)
  }

  /// `90s`, `15m`, `2h`, `3d` (also `15 min`, `2 hours`) before now.
  private func relative(_ text: String, original: String) throws(GoetheError) -> UInt64 {
    let compact = text.replacingOccurrences(of: " ", with: "")
    let digits = compact.prefix { $0.isNumber }
    let unit = compact.dropFirst(digits.count)
    let seconds: [String: Double] = [
      "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
      "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
      "h": 3_600, "hour": 3_600, "hours": 3_600, "d": 86_400, "day": 86_400, "days": 86_400,
      "w": 604_800, "week": 604_800, "weeks": 604_800,
    ]
    guard let count = Double(digits), let scale = seconds[String(unit)] else { throw invalid(original) }
    return EventTime.nanoseconds(from: now.addingTimeInterval(-count * scale))
  }

  /// RFC 3339 with a zone: `2019-05-03T14:00:00Z`, `2019-05-03T14:00:00.123+02:00`.
  private func rfc3339(_ text: String) -> Date? {
    let pattern = #"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$"#
    guard let match = text.wholeMatch(of: try! Regex(pattern)) else { return nil }
    let zone = String(match.output[8].substring ?? "Z")
    let offset: Int
    if zone.uppercased() == "Z" {
      offset = 0
    } else {
      let digits = zone.dropFirst().replacingOccurrences(of: ":", with: "")
      guard let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)) else { return nil }
      offset = (hours * 3_600 + minutes * 60) * (zone.hasPrefix("-") ? -1 : 1)
    }
    guard let zoneValue = TimeZone(secondsFromGMT: offset) else { return nil }
    return components(match, zone: zoneValue)
  }

  /// `2019-05-03`, `2019-05-03 14:00`, `2019-05-03 14:00:05`, `2019-05-03T14:00` in local time.
  private func localDate(_ text: String, calendar: Calendar) -> Date? {
    let pattern = #"^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?()$"#
    guard let match = text.wholeMatch(of: try! Regex(pattern)) else { return nil }
    return components(match, zone: calendar.timeZone)
  }

  private func components(_ match: Regex<AnyRegexOutput>.Match, zone: TimeZone) -> Date? {
    func number(_ index: Int) -> Int? { match.output[index].substring.flatMap { Int($0) } }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let parts = DateComponents(
      year: number(1), month: number(2), day: number(3), hour: number(4) ?? 0, minute: number(5) ?? 0,
      second: number(6) ?? 0)
    guard let month = parts.month, (1...12).contains(month), let day = parts.day, (1...31).contains(day),
      (0...23).contains(parts.hour!), (0...59).contains(parts.minute!), (0...60).contains(parts.second!),
      let date = calendar.date(from: parts), calendar.component(.day, from: date) == day
    else { return nil }
    let fraction = match.output[7].substring.flatMap { Double("0" + $0) } ?? 0
    return date.addingTimeInterval(fraction)
  }

  private func invalid(_ text: String) -> GoetheError {
    GoetheError(.invalidArgument, "cannot read \"\(text)\" as a position; use one of: \(Self.acceptedForms)")
  }
}
