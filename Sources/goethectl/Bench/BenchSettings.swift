import Foundation
import GoetheKit

/// One run's checked options: the common ones, and the tuning options of its mode.
struct BenchSettings: Sendable {
  var topic: String
  /// Concurrent clients, each on a connection of its own.
  var clients: Int
  /// Events in all, over every client.
  var events: Int
  /// The payload size of every event the bench writes, in bytes.
  var size: Int
  /// The tuning options the mode reads: the given values, else the mode's defaults.
  var tuning: [BenchTuning: Int]

  /// Events per append; 1 for modes that send events one by one.
  var batch: Int { tuning[.batch] ?? 1 }

  /// Requests each client keeps in flight (modes that read --inflight).
  var inflight: Int { tuning[.inflight] ?? 1 }

  /// Each client's part of `events`: equal shares, the first ones an event larger when the
  /// events do not divide evenly.
  var shares: [Int] {
    (0..<clients).map { events / clients + ($0 < events % clients ? 1 : 0) }
  }

  /// A topic name of its own for a run of `mode`: `bench-append-1764165901-3fa2`.
  static func freshTopic(for mode: String) -> String {
    "bench-\(mode)-\(EventTime.now() / 1_000_000_000)-" + String(format: "%04x", UInt16.random(in: .min ... .max))
  }
}
