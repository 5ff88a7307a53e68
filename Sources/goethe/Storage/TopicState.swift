import GoetheKit

/// What the store keeps in memory about one topic, and the pure rules for appending to it.
///
/// Appending is planned here without I/O: ids, sequence numbers and the time-index buckets an
/// append closes are computed from the current state and the clock reading, and the store writes
/// the result in one batch.
struct TopicState: Sendable {
  let name: String
  /// The catalog entry; its retention limits change with ``EventStore/setRetention(_:_:)``.
  var record: TopicRecord
  /// The head as of the last planned append, including appends still being committed.
  var head: Head
  /// The head as of the last append that is durable and visible to readers.
  var committed: Head
  /// The id of the first event; 0 while the topic is empty.
  var firstID: UInt64
  /// The last event that retention or a purge removed (``Head/empty`` if none was): events up to
  /// it are gone, and the topic's count is the head's sequence less this one's.
  var trimmedThrough: Head
  /// The payload bytes of the topic's events, including appends still being committed.
  var bytes: UInt64
  /// The newest time-index bucket, still open: ids only grow, so no append touches an older one.
  var openBucket: TimeBucket?
  /// The open bucket as of the last committed append, for readers.
  var committedOpenBucket: TimeBucket?

  typealias Head = EventRef

  init(
    name: String, record: TopicRecord, head: Head = .empty, firstID: UInt64 = 0, openBucket: TimeBucket? = nil,
    trimmedThrough: Head = .empty, bytes: UInt64 = 0
  ) {
    self.name = name
    self.record = record
    self.head = head
    committed = head
    self.firstID = firstID
    self.openBucket = openBucket
    committedOpenBucket = openBucket
    self.trimmedThrough = trimmedThrough
    self.bytes = bytes
  }

  /// The events kept, as of the last committed append.
  var committedCount: UInt64 { committed.sequence - trimmedThrough.sequence }

  /// The open bucket as of the last committed append, less the events trimmed since that append
  /// was planned: a bucket's events have consecutive sequence numbers, so the trimmed ones are
  /// those up to ``trimmedThrough``.
  var visibleOpenBucket: TimeBucket? {
    guard var bucket = committedOpenBucket else { return nil }
    bucket.count = min(bucket.count, bucket.lastSequence - min(bucket.lastSequence, trimmedThrough.sequence))
    return bucket.count > 0 ? bucket : nil
  }

  /// Records that the events through `last` are removed, `bytes` of payload, and that `nextID` is
  /// the first event left (nil if none is); the open bucket loses the removed events it held.
  mutating func trim(through last: Head, removedBytes: UInt64, nextID: UInt64?) {
    trimmedThrough = last
    firstID = nextID ?? 0
    bytes -= min(bytes, removedBytes)
    if var open = openBucket {
      open.count = min(open.count, open.lastSequence - min(open.lastSequence, last.sequence))
      openBucket = open.count > 0 ? open : nil
    }
  }

  /// What an append makes visible to readers once it is durable.
  struct Commit: Sendable {
    var entry: TopicEntry
    var number: UInt32
    var head: Head
    var openBucket: TimeBucket?
  }

  /// Records a durable append; commits arrive in planning order, older ones never win.
  mutating func apply(_ commit: Commit) {
    guard commit.head.sequence > committed.sequence else { return }
    committed = commit.head
    committedOpenBucket = commit.openBucket
  }

  /// The result of planning an append: the events' ids and sequence numbers, and the buckets it
  /// closes, which go into the same batch as the events.
  struct AppendPlan: Sendable {
    var firstID: UInt64
    var firstSequence: UInt64
    var count: Int
    var closedBuckets: [TimeBucket]
    /// The open bucket once this append is in.
    var openBucket: TimeBucket?
    var head: Head { Head(id: firstID + UInt64(count) - 1, sequence: firstSequence + UInt64(count) - 1) }
  }

  /// Assigns ids `max(now, head + 1)`, `+1`, … and the next sequence numbers to `count` events,
  /// checking `expectedSequence` (the head sequence the caller believes in) first.
  mutating func planAppend(
    count: Int, bytes: UInt64, now: UInt64, expectedSequence: UInt64?
  ) throws(GoetheError) -> AppendPlan {
    if let expectedSequence, expectedSequence != head.sequence {
      throw GoetheError(
        .conflict,
        "topic \(name) is at sequence \(head.sequence), not \(expectedSequence) as expected; nothing was written")
    }
    return planAppend(firstID: max(now, head.id + 1), count: count, bytes: bytes)
  }

  /// Plans `count` events with the ids `firstID`, `+1`, … (above the head's) and the next
  /// sequence numbers, `bytes` of payload: how a committed write from elsewhere is appended as it
  /// was assigned.
  mutating func planAppend(firstID: UInt64, count: Int, bytes: UInt64) -> AppendPlan {
    precondition(count > 0 && firstID > head.id)
    var plan = AppendPlan(firstID: firstID, firstSequence: head.sequence + 1, count: count, closedBuckets: [])
    plan.closedBuckets = advanceBuckets(from: firstID, through: plan.head)
    plan.openBucket = openBucket
    if head.sequence == trimmedThrough.sequence { self.firstID = firstID }
    head = plan.head
    self.bytes += bytes
    return plan
  }

  /// Counts the events after the current head up to `newHead` into the time index; returns the
  /// buckets that are now complete.
  private mutating func advanceBuckets(from firstID: UInt64, through newHead: Head) -> [TimeBucket] {
    let granularity = record.granularity
    var closed: [TimeBucket] = []
    var id = firstID
    var sequence = head.sequence + 1
    while sequence <= newHead.sequence {
      let start = granularity.bucketStart(of: id)
      let last = min(newHead.id, start + granularity.nanoseconds - 1)
      let events = last - id + 1
      if let open = openBucket, open.start != start {
        closed.append(open)
        openBucket = nil
      }
      var bucket = openBucket ?? TimeBucket(start: start, lastID: 0, count: 0, lastSequence: 0)
      bucket.count += events
      bucket.lastID = last
      bucket.lastSequence = sequence + events - 1
      openBucket = bucket
      id = last + 1
      sequence += events
    }
    return closed
  }
}

/// A topic's place in the store's catalog, holding its state: a class, so that an append plans
/// and later commits the state in place instead of looking the topic up and copying it again.
///
/// Safety of `@unchecked Sendable` and of unchecked exclusivity: `state` is only read and written
/// with the store's state lock held, which already makes every access exclusive.
final class TopicEntry: @unchecked Sendable {
  @exclusivity(unchecked) var state: TopicState

  init(_ state: TopicState) { self.state = state }
}
