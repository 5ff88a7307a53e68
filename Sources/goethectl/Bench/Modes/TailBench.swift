import ArgumentParser
import GoetheKit

/// How long an event takes from its producer to a follower waiting at the end of the topic.
struct TailBench: BenchMode {
  static let name = "tail"
  static let summary = """
    a follower subscribes at the end of the topic, then the clients append -n events, --batch per \
    call, each stamped with its send time; latency: from the stamp to the follower's receipt
    """
  static let tuning: [BenchTuning: Int] = [.batch: 1]

  let batch: Int

  init(_ settings: BenchSettings) throws {
    guard settings.size >= BenchPayloads.stampSize else {
      throw ValidationError(
        "tail stamps the send time in the payload: --size must be at least \(BenchPayloads.stampSize)")
    }
    batch = settings.batch
  }

  var description: String { "a follower at the end, \(batch) event\(batch == 1 ? "" : "s") per append call" }
  var latencySample: String? { "event from send to receipt" }

  /// Runs the follower and, once it is subscribed, the producers. The result counts what the
  /// follower received, from the producers' start to the follower's last event.
  func run(on topic: TopicInfo, _ harness: BenchHarness) async throws -> BenchResult {
    let origin = ContinuousClock.now
    let (subscribed, isSubscribed) = AsyncStream.makeStream(of: Void.self)
    return try await withThrowingTaskGroup(of: Received.self) { group in
      group.addTask {
        defer { isSubscribed.finish() }
        return try await follow(topic.name, harness, since: origin) { isSubscribed.yield() }
      }
      var signal = subscribed.makeAsyncIterator()
      guard await signal.next() != nil else {
        // The follower ended before it subscribed: its error is the run's.
        try await group.waitForAll()
        throw CancellationError()
      }
      let produced = try await produce(to: topic.name, harness, since: origin)
      // The group holds the follower only, which ends after the last event or with an error.
      let received = try await group.next()!
      return BenchResult([received.count], from: produced.start, to: received.end)
    }
  }

  /// What the follower received, and when the last event came.
  private struct Received: Sendable {
    var count: Tally.Count
    var end: ContinuousClock.Instant
  }

  /// Receives the events from the end of the topic, calling `subscribed` once the server has
  /// started the stream.
  private func follow(
    _ topic: String, _ harness: BenchHarness, since origin: ContinuousClock.Instant,
    subscribed: @escaping @Sendable () -> Void
  ) async throws -> Received {
    try await harness.connection { client in
      let tally = Tally(progress: harness.progress)
      let end = try await client.subscribe(
        topic, from: .position(.end), limit: UInt64(harness.settings.events), follow: true
      ) { subscription in
        subscribed()
        var last = ContinuousClock.now
        for try await batch in subscription {
          last = .now
          let received = origin.duration(to: last)
          for event in batch {
            let sent = BenchPayloads.stamp(of: event.payload).map { Duration.nanoseconds($0) }
            tally.record(events: 1, bytes: event.payload.count, latency: sent.map { received - $0 })
          }
        }
        return last
      }
      return Received(count: tally.count, end: end)
    }
  }

  private func produce(
    to topic: String, _ harness: BenchHarness, since origin: ContinuousClock.Instant
  ) async throws -> BenchResult {
    let payloads = BenchPayloads(size: harness.settings.size)
    return try await harness.clients { client, share, _ in
      var sent = 0
      while sent < share {
        let stamp = origin.duration(to: .now).inNanoseconds
        let events = (sent..<min(sent + batch, share)).map { payloads.stamped($0, with: stamp) }
        _ = try await client.append(events, to: topic)
        sent += events.count
      }
    }
  }
}
