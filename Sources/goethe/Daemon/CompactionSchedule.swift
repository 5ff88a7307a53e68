/// When retention compacts a topic: after a round that trimmed it, at most once per `interval`
/// (each compaction also flushes LevelDB's memory table). A trim made too soon after the last
/// compaction is owed one, which it gets once the interval has passed, also when no trim follows.
struct CompactionSchedule: Sendable {
  let interval: Duration
  private var last: [String: ContinuousClock.Instant] = [:]
  private var owed: Set<String> = []

  init(interval: Duration) { self.interval = interval }

  /// Whether to compact `topic` at `now`, after a round that `trimmed` it or not.
  mutating func isDue(_ topic: String, trimmed: Bool, now: ContinuousClock.Instant) -> Bool {
    if trimmed { owed.insert(topic) }
    guard owed.contains(topic) else { return false }
    return last[topic].map { now - $0 >= interval } ?? true
  }

  mutating func compacted(_ topic: String, at now: ContinuousClock.Instant) {
    last[topic] = now
    owed.remove(topic)
  }
}
