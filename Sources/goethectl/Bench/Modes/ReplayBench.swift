import GoetheKit

/// Reading a stored topic from its first event, as a consumer that starts over.
struct ReplayBench: BenchMode {
  static let name = "replay"
  static let summary = """
    the topic is filled up to -n events; each client then subscribes at its first event and \
    reads its share; no latency
    """
  static let tuning: [BenchTuning: Int] = [:]

  init(_ settings: BenchSettings) {}

  var description: String { "subscribe at the first event" }
  var latencySample: String? { nil }

  func prepare(_ topic: TopicInfo, on harness: BenchHarness) async throws -> TopicInfo {
    try await harness.filled(topic)
  }

  func run(on topic: TopicInfo, _ harness: BenchHarness) async throws -> BenchResult {
    try await harness.clients { client, share, tally in
      try await client.subscribe(topic.name, from: .position(.beginning), limit: UInt64(share)) { subscription in
        for try await batch in subscription {
          tally.record(events: batch.count, bytes: batch.reduce(0) { $0 + $1.payload.count })
        }
      }
    }
  }
}
