import GoetheKit

extension BenchHarness {
  /// Every client appends its share in calls of `batch` events, `inflight` calls at a time on its
  /// connection (each of them sent once the one before it returned); a call's round trip is one
  /// latency sample.
  func appendInCalls(of batch: Int, inflight: Int, to topic: String) async throws -> BenchResult {
    let payloads = BenchPayloads(size: settings.size)
    let size = settings.size
    return try await clients { client, share, tally in
      try await withThrowingDiscardingTaskGroup { group in
        for lane in 0..<inflight {
          let events = share / inflight + (lane < share % inflight ? 1 : 0)
          group.addTask {
            var sent = 0
            while sent < events {
              let calls = (sent..<min(sent + batch, events)).map { payloads[$0] }
              let start = ContinuousClock.now
              _ = try await client.append(calls, to: topic)
              tally.record(events: calls.count, bytes: calls.count * size, latency: start.duration(to: .now))
              sent += calls.count
            }
          }
        }
      }
    }
  }
}
