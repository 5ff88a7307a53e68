import GoetheKit

/// What a mode runs on: the settings, connections to the server, and the progress line that the
/// clients' tallies advance.
struct BenchHarness: Sendable {
  let settings: BenchSettings
  let global: GlobalOptions
  let console: Console
  /// Counts the events of the measured part, for the progress line.
  let progress = BenchProgress()

  /// Runs `body` on a connection of its own. The connection is opened (by asking for the topic)
  /// before `body` starts, so that the time to connect stays out of what `body` measures.
  func connection<Result: Sendable>(_ body: (GoetheClient) async throws -> Result) async throws -> Result {
    try await global.withClient { client in
      _ = try await client.describeTopic(settings.topic)
      return try await body(client)
    }
  }

  /// Runs every client at once, each on its own connection and with its share of the events;
  /// `work` does one client's share and counts it in the client's tally. The result spans from the
  /// first client's start to the last one's end.
  func clients(
    _ work: @escaping @Sendable (_ client: GoetheClient, _ share: Int, _ tally: Tally) async throws -> Void
  ) async throws -> BenchResult {
    let runs = try await withThrowingTaskGroup(of: ClientRun.self) { group in
      for share in settings.shares {
        group.addTask {
          try await connection { client in
            let tally = Tally(progress: progress)
            let start = ContinuousClock.now
            try await work(client, share, tally)
            return ClientRun(start: start, end: .now, count: tally.count)
          }
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    return BenchResult(
      runs.map(\.count), from: runs.map(\.start).min() ?? .now, to: runs.map(\.end).max() ?? .now)
  }

  /// The topic, created when it does not exist yet.
  func createdTopic() async throws -> TopicInfo {
    try await global.withClient { client in
      do {
        return try await client.describeTopic(settings.topic)
      } catch let error as GoetheError where error.code == .notFound {
        return try await client.createTopic(settings.topic)
      }
    }
  }
}

/// One client's part of a run.
private struct ClientRun: Sendable {
  var start: ContinuousClock.Instant
  var end: ContinuousClock.Instant
  var count: Tally.Count
}
