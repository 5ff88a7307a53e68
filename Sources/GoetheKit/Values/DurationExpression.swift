/// Reads durations such as `500ms`, `5s`, `2m`, `1h` (for `--timeout`).
public enum DurationExpression {
  public static func parse(_ text: String) throws(GoetheError) -> Duration {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600)]
    for (unit, scale) in units where text.hasSuffix(unit) {
      if let value = Double(text.dropLast(unit.count)), value > 0 {
        return .milliseconds(Int64((value * scale * 1_000).rounded()))
      }
    }
    if let seconds = Double(text), seconds > 0 { return .milliseconds(Int64((seconds * 1_000).rounded())) }
    throw GoetheError(.invalidArgument, "invalid duration \"\(text)\": use a number with ms, s, m or h, such as 5s")
  }
}
