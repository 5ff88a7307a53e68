import GoetheKit

/// Batches of events per append call, as a producer that buffers.
struct AppendBench: BenchMode {
  static let name = "append"
  static let summary =
    "each client appends --batch events per call, --inflight calls at a time; latency: the call"
  static let tuning: [BenchTuning: Int] = [.batch: 100, .inflight: 1]

  let batch: Int
  let inflight: Int

  init(_ settings: BenchSettings) {
    batch = settings.batch
    inflight = settings.inflight
  }

  var description: String {
    "\(batch) events per append call" + (inflight > 1 ? ", \(inflight) in flight" : "")
  }
  var latencySample: String? { "append call of \(batch) events" }

  func run(on topic: TopicInfo, _ harness: BenchHarness) async throws -> BenchResult {
    try await harness.appendInCalls(of: batch, inflight: inflight, to: topic.name)
  }
}
