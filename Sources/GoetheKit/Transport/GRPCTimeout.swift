/// The `grpc-timeout` header: at most eight digits and a unit (gRPC over HTTP/2, "Timeout").
package enum GRPCTimeout {
  package static func parse(_ text: String) -> Duration? {
    let digits = text.dropLast()
    guard let unit = text.last, (1...8).contains(digits.count), digits.allSatisfy({ ("0"..."9").contains($0) }),
      let value = Int64(digits)
    else { return nil }
    switch unit {
    case "H": return .seconds(value * 3600)
    case "M": return .seconds(value * 60)
    case "S": return .seconds(value)
    case "m": return .milliseconds(value)
    case "u": return .microseconds(value)
    case "n": return .nanoseconds(value)
    default: return nil
    }
  }

  /// `timeout` in the finest unit that fits eight digits, rounded up so the server never stops
  /// before the client does; a timeout that has passed is sent as one nanosecond.
  package static func encoded(_ timeout: Duration) -> String {
    let nanoseconds = max(
      1, timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
    for (unit, size) in [("n", Int64(1)), ("u", 1_000), ("m", 1_000_000), ("S", 1_000_000_000), ("M", 60_000_000_000)] {
      let value = (nanoseconds + size - 1) / size
      if value < 100_000_000 { return "\(value)\(unit)" }
    }
    return "\(min((nanoseconds + 3_599_999_999_999) / 3_600_000_000_000, 99_999_999))H"
  }
}
