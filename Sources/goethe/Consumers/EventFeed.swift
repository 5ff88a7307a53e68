import GoetheKit

/// Reads one topic from a resolved start, batch by batch, up to an optional bound and limit; when
/// following, it waits at the head on the topic's notifier for the next commit.
///
/// The feed holds no LevelDB iterator between batches, so a reader that stalls or goes away pins
/// nothing; memory is one batch at a time, and the stream's flow control paces the batches.
struct EventFeed {
  let store: any GoetheStore
  let start: ReadStart
  /// The last event id the feed may deliver.
  let through: UInt64
  let follow: Bool
  private var next: UInt64
  private var remaining: UInt64

  /// The largest batch, in events and in payload bytes (a batch always holds at least one event).
  static let batchEvents = 512
  static let batchBytes = 1 << 20

  init(store: any GoetheStore, start: ReadStart, through: UInt64 = .max, limit: UInt64? = nil, follow: Bool) {
    self.store = store
    self.start = start
    self.through = through
    self.follow = follow
    next = start.fromID
    remaining = limit ?? .max
  }

  /// The next events, at most `maxEvents`; nil when the feed has ended. Throws `CancellationError`
  /// when the task is cancelled and ``GoetheError/Code/unavailable`` when the store shuts down.
  mutating func nextBatch(maxEvents: Int = batchEvents) async throws -> [StoredEvent]? {
    while remaining > 0, next <= through {
      try Task.checkCancellation()
      if store.waitsHaveEnded { throw EventLogWaits.ended }
      try store.checkStillThere(start)
      let head = try store.topicInfo(start.topic).lastEventID ?? 0
      let events = try store.read(
        start, from: next, through: through, limit: Int(min(UInt64(maxEvents), remaining)), maxBytes: Self.batchBytes)
      if let last = events.last {
        next = last.id + 1
        remaining -= UInt64(events.count)
        return events
      }
      // Nothing in [next, through]. If the head is already past `next`, everything newer is beyond
      // the bound; so is every event still to come once the clock has passed it (new ids are at
      // least the current time).
      guard follow, head < next, through >= store.now() else { return nil }
      try await store.waitForEvents(start, after: next - 1)
    }
    return nil
  }
}
