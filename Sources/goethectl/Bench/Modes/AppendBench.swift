import GoetheKit

/// Batches of events per append call, as a producer that buffers.
struct AppendBench: BenchMode {
  static let name = "append"
  static let summary = "each client appends --batch events per call, waiting for each; latency: the call"
  static let tuning: [BenchTuning: Int] = [.batch: 100]

  let batch: Int

  init(_ settings: BenchSettings) {
    batch = settings.batch
  }

  var description: String { "\(batch) events per append call" }
  var latencySample: String? { "append call of \(batch) events" }

  func run(on topic: TopicInfo, _ harness: BenchHarness) async throws -> BenchResult {
    try await harness.appendInCalls(of: batch, to: topic.name)
  }
}
