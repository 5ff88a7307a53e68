import Foundation
import GoetheKit
import Synchronization

/// Reading a stored topic as the members of one shared consumer, which split its events.
struct SharedBench: BenchMode {
  static let name = "shared"
  static let summary = """
    the topic is filled up to -n events; each client then joins one new shared consumer as a \
    member, and the members read and acknowledge every event between them, --inflight \
    unacknowledged each at most; no latency
    """
  static let tuning: [BenchTuning: Int] = [.inflight: 512]

  let prefetch: Int

  init(_ settings: BenchSettings) {
    prefetch = settings.inflight
  }

  var description: String { "members of one shared consumer, \(prefetch) unacknowledged each at most" }
  var latencySample: String? { nil }

  func prepare(_ topic: TopicInfo, on harness: BenchHarness) async throws -> TopicInfo {
    try await harness.filled(topic)
  }

  /// Each member acknowledges every batch it is given, and leaves once the members have taken -n
  /// events between them, or once it is caught up.
  func run(on topic: TopicInfo, _ harness: BenchHarness) async throws -> BenchResult {
    let consumer = "bench-\(UInt64(Date().timeIntervalSince1970 * 1_000))"
    let settings = SharedConsumerSettings(maxPending: UInt32(prefetch))
    let remaining = Remaining(harness.settings.events)
    return try await harness.clients { client, _, tally in
      try await client.joinConsumer(
        topic: topic.name, consumer: consumer, member: "bench", settings: settings, prefetch: UInt64(prefetch)
      ) { membership in
        for try await batch in membership {
          let counted = batch.prefix(remaining.take(batch.count))
          guard !counted.isEmpty else { break }
          membership.ack(batch.map(\.event.id))
          tally.record(events: counted.count, bytes: counted.reduce(0) { $0 + $1.event.payload.count })
        }
        membership.stop()
        for try await _ in membership {}
      }
    }
  }
}

/// The events the members have still to take between them.
private final class Remaining: Sendable {
  private let count: Mutex<Int>

  init(_ count: Int) { self.count = Mutex(count) }

  /// How many of `wanted` events are still to take; they count as taken.
  func take(_ wanted: Int) -> Int {
    count.withLock { count in
      let taken = min(count, wanted)
      count -= taken
      return taken
    }
  }
}
