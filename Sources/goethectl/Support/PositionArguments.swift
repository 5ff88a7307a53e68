import GoetheKit

/// Reads `--from` / `--to` values.
enum PositionArguments {
  static func start(_ text: String) throws(GoetheError) -> ReadStartRequest {
    .position(try PositionExpression().position(text))
  }

  /// An upper bound: an event id (inclusive) or a time (exclusive); `end` and `now` mean the head.
  static func bound(_ text: String) throws(GoetheError) -> ReadBound? {
    switch try PositionExpression().position(text) {
    case .event(let id): return .event(id)
    case .time(let time): return .time(time)
    case .end: return nil
    case .beginning: throw GoetheError(.invalidArgument, "--to beginning would select nothing; give a later position")
    }
  }

  /// `--from` with an optional `--to`; a `--to` before `--from` would select nothing and is refused.
  static func range(from: String, to: String?) throws(GoetheError) -> (start: ReadStartRequest, bound: ReadBound?) {
    let start = try start(from)
    let bound = try to.flatMap { text throws(GoetheError) in try Self.bound(text) }
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
