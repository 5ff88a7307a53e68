/// The `grpc-timeout` header: at most eight digits and a unit (gRPC over HTTP/2, "Timeout").
enum GRPCTimeout {
  static func parse(_ text: String) -> Duration? {
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
}
