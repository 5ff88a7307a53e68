import Foundation
import GoetheKit

extension Console {
  /// `-v`/`--debug`: one line on stderr for each call, as kubectl -v=6 shows requests:
  /// `goethectl: debug: goethe.Goethe/Append OK in 2.41ms`.
  func debug(_ call: CallRecord) {
    note("debug: \(call.method) \(call.status) in \(Self.milliseconds(call.duration))")
  }

  private static func milliseconds(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    let total = Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    return total >= 1_000 ? String(format: "%.2fs", total / 1_000) : String(format: "%.2fms", total)
  }
}
