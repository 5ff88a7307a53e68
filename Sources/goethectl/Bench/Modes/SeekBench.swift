import GoetheKit

/// Reads that start at a time, as an operator's `replay --from "2h ago"`.
struct SeekBench: BenchMode {
  static let name = "seek"
  static let summary = """
    the topic is filled up to -n events; the clients then subscribe -n times in all at a random \
    time between its first and last event, with a limit of one event; latency: the subscription
    """
  static let tuning: [BenchTuning: Int] = [:]

  init(_ settings: BenchSettings) {}

  var description: String { "subscribe at a random time, limit 1" }
  var latencySample: String? { "seek" }

  func prepare(_ topic: TopicInfo, on harness: BenchHarness) async throws -> TopicInfo {
    try await harness.filled(topic)
  }

  func run(on topic: TopicInfo, _ harness: BenchHarness) async throws -> BenchResult {
    guard let first = topic.firstEventID, let last = topic.lastEventID else {
      throw GoetheError(.internalError, "topic \(topic.name) has no events to seek to")
    }
    return try await harness.clients { client, share, tally in
      for _ in 0..<share {
        let time = UInt64.random(in: first...last)
        let start = ContinuousClock.now
        let events = try await client.subscribe(topic.name, from: .position(.time(time)), limit: 1) { subscription in
          try await subscription.reduce(into: []) { $0 += $1 }
        }
        tally.record(
          events: events.count, bytes: events.reduce(0) { $0 + $1.payload.count }, latency: start.duration(to: .now))
      }
    }
  }
}
