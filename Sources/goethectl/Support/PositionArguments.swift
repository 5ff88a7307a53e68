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
}
