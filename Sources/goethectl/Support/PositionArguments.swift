import Foundation
import GoetheKit

/// Reads `--from`, `--to` and `cursor set` values. Times without a zone are local time, or UTC with
/// `--utc`, which applies to what is typed as well as to what is printed, as journalctl's does.
///
/// Besides ``PositionExpression``'s forms it reads journalctl's: `-15m` for `15m ago`, a time of
/// day alone (`08:15`, `08:15:30`) for today, and a trailing zone (`2026-11-30 08:15 UTC`,
/// `08:15 Europe/Berlin`).
struct PositionArguments {
  let reader: PositionExpression

  /// The forms, for help texts.
  static let help = """
    beginning, end, an event id, or a time: 2019-05-03 or "2019-05-03 14:00" (local time, or UTC with --utc), \
    08:15 (today), a zone after any of these ("2019-05-03 14:00 UTC", "08:15 Europe/Berlin"), \
    2019-05-03T14:00:00Z (RFC 3339), @1556841600 (epoch seconds), "15m ago" or -15m (s, m, h, d), \
    now, today, yesterday. A time means the first event committed at or after it.
    """

  init(utc: Bool) {
    reader = PositionExpression(timeZone: utc ? TimeZone(identifier: "UTC")! : .current)
  }

  func position(_ text: String) throws(GoetheError) -> Position {
    var reader = self.reader
    var words = text.split(separator: " ")
    if words.count > 1, let zone = TimeZone(identifier: String(words.last!)) {
      reader.timeZone = zone
      words.removeLast()
    }
    var rewritten = words.joined(separator: " ")
    if let ago = rewritten.wholeMatch(of: /-([0-9]+ ?[a-zA-Z]+)/) {
      rewritten = ago.output.1 + " ago"
    } else if let clock = rewritten.wholeMatch(of: /([0-9]{1,2})(:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?)/) {
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = reader.timeZone
      let today = calendar.dateComponents([.year, .month, .day], from: reader.now)
      let hour = clock.output.1.count == 1 ? "0" + clock.output.1 : String(clock.output.1)
      rewritten = String(format: "%04d-%02d-%02d ", today.year!, today.month!, today.day!) + hour + clock.output.2
    }
    do {
      return try reader.position(rewritten)
    } catch {
      // The error quotes what was typed, not what it was read as.
      return try reader.position(text)
    }
  }

  func time(_ text: String) throws(GoetheError) -> UInt64 {
    try reader.time(text)
  }

  func start(_ text: String) throws(GoetheError) -> ReadStartRequest {
    .position(try position(text))
  }

  /// An upper bound: an event id (inclusive) or a time (exclusive); `end` and `now` mean the head.
  func bound(_ text: String) throws(GoetheError) -> ReadBound? {
    switch try position(text) {
    case .event(let id): return .event(id)
    case .time(let time): return .time(time)
    case .end: return nil
    case .beginning: throw GoetheError(.invalidArgument, "--to beginning would select nothing; give a later position")
    }
  }

  /// `--from` with an optional `--to`; a `--to` before `--from` would select nothing and is refused.
  func range(from: String, to: String?) throws(GoetheError) -> (start: ReadStartRequest, bound: ReadBound?) {
    let start = try start(from)
    let bound = try to.flatMap { text throws(GoetheError) in try self.bound(text) }
    // Event ids and times are both UNIX nanoseconds, so the two compare in any mix.
    if let to, let bound, case .position(let position) = start {
      let first: UInt64? =
        switch position {
        case .event(let id): id
        case .time(let time): time
        case .beginning, .end: nil
        }
      let last: UInt64 =
        switch bound {
        case .event(let id): id
        case .time(let time): time
        }
      if let first, last < first {
        throw GoetheError(.invalidArgument, "--to \(to) is before --from \(from); give a --to at or after --from")
      }
    }
    return (start, bound)
  }
}
