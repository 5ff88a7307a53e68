import GoetheKit

extension BenchHarness {
  /// Events per append while filling: as many as fit in 4 MiB, at most 1000.
  private static let fillBatchBytes = 4 << 20
  private static let maxFillBatch = 1_000

  /// `topic` topped up to `settings.events` events, for modes that read. Appends the missing
  /// events in large batches on one connection, with a progress line of its own.
  func filled(_ topic: TopicInfo) async throws -> TopicInfo {
    let missing = settings.events - Int(clamping: topic.headSequence)
    guard missing > 0 else { return topic }
    let batch = max(1, min(Self.maxFillBatch, Self.fillBatchBytes / settings.size))
    let payloads = BenchPayloads(size: settings.size)
    let fill = BenchProgress()
    return try await connection { client in
      try await fill.showing(total: missing, on: console) {
        var appended = 0
        while appended < missing {
          let count = min(batch, missing - appended)
          _ = try await client.append((appended..<appended + count).map { payloads[$0] }, to: topic.name)
          appended += count
          fill.advance(by: count)
        }
      }
      return try await client.describeTopic(topic.name)
    }
  }
}
