import GoetheKit

/// One event per append call, as an application that stores each event as it happens.
struct ProduceBench: BenchMode {
  static let name = "produce"
  static let summary = "each client appends one event per call, waiting for each; latency: the call"
  static let tuning: [BenchTuning: Int] = [:]

  init(_ settings: BenchSettings) {}

  var description: String { "one event per append call" }
  var latencySample: String? { "append call" }

  func run(on topic: TopicInfo, _ harness: BenchHarness) async throws -> BenchResult {
    try await harness.appendInCalls(of: 1, inflight: 1, to: topic.name)
  }
}
