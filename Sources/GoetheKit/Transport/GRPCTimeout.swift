/// The `grpc-timeout` header: at most eight digits and a unit (gRPC over HTTP/2, "Timeout").
package enum GRPCTimeout {
  /// Parsed from its UTF-8 bytes: every call from a client with a deadline carries one.
  package static func parse(_ text: String) -> Duration? {
    let bytes = text.utf8
    guard let unit = bytes.last, (2...9).contains(bytes.count) else { return nil }
    var value: Int64 = 0
    for byte in bytes.dropLast() {
      guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
      value = value * 10 + Int64(byte - UInt8(ascii: "0"))
    }
    switch unit {
    case UInt8(ascii: "H"): return .seconds(value * 3600)
    case UInt8(ascii: "M"): return .seconds(value * 60)
    case UInt8(ascii: "S"): return .seconds(value)
    case UInt8(ascii: "m"): return .milliseconds(value)
    case UInt8(ascii: "u"): return .microseconds(value)
    case UInt8(ascii: "n"): return .nanoseconds(value)
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
