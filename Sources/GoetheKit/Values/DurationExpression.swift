/// Reads durations such as `500ms`, `5s`, `2m`, `1h` (for `--timeout`), from 1ms to 24h: a deadline
/// or idle time beyond a day is a mistake, and an unbounded one would overflow the clocks it is
/// added to.
public enum DurationExpression {
  /// The durations accepted, in milliseconds.
  private static let bounds: ClosedRange<Double> = 1...86_400_000
  /// The same, as a person reads them.
  public static let range = "1ms to 24h"

  public static func parse(_ text: String) throws(GoetheError) -> Duration {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600)]
    let (number, scale) =
      units.first { text.hasSuffix($0.0) }.map { (text.dropLast($0.0.count), $0.1) } ?? (text[...], 1)
    guard let value = Double(number), !value.isNaN else {
      throw GoetheError(
        .invalidArgument, "invalid duration \(GoetheError.quoted(text)): use a number with ms, s, m or h, such as 5s")
    }
    let total = (value * scale * 1_000).rounded()
    guard bounds.contains(total) else {
      throw GoetheError(
        .invalidArgument, "duration \(GoetheError.quoted(text)) is out of range: use \(range), such as 5s")
    }
    return .milliseconds(Int64(total))
  }
}
