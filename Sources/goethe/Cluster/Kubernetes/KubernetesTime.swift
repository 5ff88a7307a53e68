import Foundation

/// The API's MicroTime, `2006-01-02T15:04:05.000000Z`: RFC 3339 in UTC with exactly six digits of
/// fraction, as Leases' acquire and renew times are written.
enum KubernetesTime {
  static func microTime(_ date: Date) -> String {
    let seconds = date.timeIntervalSince1970.rounded(.down)
    let micros = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down))
    // ISO8601Format() gives `2006-01-02T15:04:05Z`: the fraction goes before the Z.
    let whole = Date(timeIntervalSince1970: seconds).ISO8601Format()
    return whole.dropLast() + "." + String(format: "%06d", micros) + "Z"
  }
}
