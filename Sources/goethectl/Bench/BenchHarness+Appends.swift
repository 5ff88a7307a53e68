import GoetheKit

extension BenchHarness {
  /// Every client appends its share in calls of `batch` events, each call after the previous one
  /// returned; a call's round trip is one latency sample.
  func appendInCalls(of batch: Int, to topic: String) async throws -> BenchResult {
    let payloads = BenchPayloads(size: settings.size)
    return try await clients { client, share, tally in
      var sent = 0
      while sent < share {
        let events = (sent..<min(sent + batch, share)).map { payloads[$0] }
        let start = ContinuousClock.now
        _ = try await client.append(events, to: topic)
        tally.record(events: events.count, bytes: events.count * settings.size, latency: start.duration(to: .now))
        sent += events.count
      }
    }
  }
}
