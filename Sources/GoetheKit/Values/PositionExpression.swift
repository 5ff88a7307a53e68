public import Foundation

/// Reads the positions and times people type: `beginning`, `end`, an event id, `2019-05-03`,
/// `2019-05-03 14:00`, RFC 3339 (`2019-05-03T14:00:00Z`), `@1556841600`, `15m ago`, `now`,
/// `today`, `yesterday`. Dates without a zone are local time, as `journalctl --since` reads them.
///
/// Every time, whatever its form, must lie in ``EventTime/range``, the times an event id can hold;
/// one outside it is refused rather than wrapped around or clamped.
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
      throw GoetheError(
        .invalidArgument, "\(GoetheError.quoted(text)) is not a time; use one of: \(Self.acceptedForms)")
    }
    return time
  }

  private func nanoseconds(_ text: String, original: String) throws(GoetheError) -> UInt64 {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let lowered = text.lowercased()
    switch lowered {
    case "now": return try checked(now, original: original)
    case "today": return try checked(calendar.startOfDay(for: now), original: original)
    case "yesterday":
      let today = calendar.startOfDay(for: now)
      return try checked(calendar.date(byAdding: .day, value: -1, to: today) ?? today, original: original)
    default: break
    }
    if lowered.hasPrefix("@") { return try epochSeconds(String(lowered.dropFirst()), original: original) }
    if lowered.hasSuffix(" ago") { return try relative(String(lowered.dropLast(4)), original: original) }
    return try dateAndTime(text, original: original)
  }

  /// `1556841600` or `1556841600.25`: seconds since the epoch, as `date -d @...` reads them. Digits
  /// past nanoseconds round up, so that the time is never before the one written.
  private func epochSeconds(_ text: String, original: String) throws(GoetheError) -> UInt64 {
    guard let match = text.wholeMatch(of: #/(?<seconds>[0-9]+)(?:\.(?<fraction>[0-9]+))?/#) else {
      throw invalid(original)
    }
    let fraction = match.output.fraction ?? ""
    let digits = fraction.prefix(9) + String(repeating: "0", count: max(0, 9 - fraction.count))
    let roundsUp = fraction.dropFirst(9).contains { $0 != "0" }
    guard let seconds = UInt64(match.output.seconds), let nanoseconds = UInt64(digits),
      let time = EventTime.nanoseconds(seconds: seconds, fraction: nanoseconds + (roundsUp ? 1 : 0))
    else { throw outOfRange(original) }
    return time
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
    return try checked(now.addingTimeInterval(-count * scale), original: original)
  }

  /// `2019-05-03`, `2019-05-03 14:00`, `2019-05-03 14:00:05.123` (`T` or a space between date and
  /// time) in local time, or with a zone (`Z`, `+02:00`, `-0530`) as RFC 3339 has it.
  private func dateAndTime(_ text: String, original: String) throws(GoetheError) -> UInt64 {
    let pattern =
      #/
      (?<year>[0-9]{4}) - (?<month>[0-9]{2}) - (?<day>[0-9]{2})
      (?: [Tt\ ] (?<hour>[0-9]{2}) : (?<minute>[0-9]{2})
        (?: : (?<second>[0-9]{2}) (?: \. (?<fraction>[0-9]{1,9}) )? )?
        (?<zone> [Zz] | [+-] [0-9]{2} :? [0-9]{2} )?
      )?
      /#
    guard let parts = text.wholeMatch(of: pattern)?.output else { throw invalid(original) }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    if let offset = parts.zone {
      guard let zone = Self.zone(offset) else { throw invalid(original) }
      calendar.timeZone = zone
    }
    // The pattern matched ASCII digits, which always read as numbers.
    func number(_ digits: Substring?) -> Int { digits.map { Int($0)! } ?? 0 }
    let (year, month, day) = (number(parts.year), number(parts.month), number(parts.day))
    let (hour, minute, second) = (number(parts.hour), number(parts.minute), number(parts.second))
    guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
      (0...60).contains(second),
      let date = calendar.date(
        from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)),
      calendar.component(.day, from: date) == day
    else { throw invalid(original) }
    // The calendar gives whole seconds; the fraction is added exactly, in nanoseconds.
    let fraction = parts.fraction.map { UInt64($0 + String(repeating: "0", count: 9 - $0.count))! } ?? 0
    let seconds = date.timeIntervalSince1970
    guard seconds >= 0, let time = EventTime.nanoseconds(seconds: UInt64(seconds), fraction: fraction) else {
      throw outOfRange(original)
    }
    return time
  }

  /// `Z`, `+02:00` or `-0530` as a zone; nil for an offset no zone has.
  private static func zone(_ text: Substring) -> TimeZone? {
    guard text.uppercased() != "Z" else { return TimeZone(secondsFromGMT: 0) }
    let digits = text.dropFirst().filter { $0 != ":" }
    guard let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)), minutes < 60 else { return nil }
    return TimeZone(secondsFromGMT: (hours * 3_600 + minutes * 60) * (text.hasPrefix("-") ? -1 : 1))
  }

  private func checked(_ date: Date, original: String) throws(GoetheError) -> UInt64 {
    guard let time = EventTime.nanoseconds(from: date) else { throw outOfRange(original) }
    return time
  }

  private func invalid(_ text: String) -> GoetheError {
    GoetheError(
      .invalidArgument, "cannot read \(GoetheError.quoted(text)) as a position; use one of: \(Self.acceptedForms)")
  }

  private func outOfRange(_ text: String) -> GoetheError {
    GoetheError(
      .invalidArgument, "time \(GoetheError.quoted(text)) is out of range: event ids hold times from \(EventTime.range)"
    )
  }
}
