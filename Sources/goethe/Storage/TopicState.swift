import GoetheKit

/// What the store keeps in memory about one topic, and the pure rules for appending to it.
///
/// Appending is planned here without I/O: ids, sequence numbers and the time-index buckets an
/// append touches are computed from the current state and the clock reading, and the store writes
/// the result in one batch.
struct TopicState: Sendable {
  let name: String
  /// The catalog entry as of the last planned append (including appends still being committed).
  var record: TopicRecord
  /// The newest time-index bucket; ids only grow, so no append touches an older one.
  var headBucket: TimeBucket?
  /// The head as of the last append that is durable and visible to readers.
  var committed: Head

  struct Head: Equatable, Sendable {
    var id: UInt64
    var sequence: UInt64
  }

  init(name: String, record: TopicRecord, headBucket: TimeBucket?) {
    self.name = name
    self.record = record
    self.headBucket = headBucket
    committed = Head(id: record.headID, sequence: record.headSequence)
  }

  /// The result of planning an append: the events' ids and sequence numbers and the buckets to write.
  struct AppendPlan: Sendable {
    var firstID: UInt64
    var firstSequence: UInt64
    var count: Int
    var buckets: [TimeBucket]
    var head: Head { Head(id: firstID + UInt64(count) - 1, sequence: firstSequence + UInt64(count) - 1) }
  }

  /// Assigns ids `max(now, head + 1)`, `+1`, … and the next sequence numbers to `count` events,
  /// checking `expectedSequence` (the head sequence the caller believes in) first.
  mutating func planAppend(count: Int, now: UInt64, expectedSequence: UInt64?) throws(GoetheError) -> AppendPlan {
    precondition(count > 0)
    if let expectedSequence, expectedSequence != record.headSequence {
      throw GoetheError(
        .conflict,
        "topic \(name) is at sequence \(record.headSequence), not \(expectedSequence) as expected; nothing was written")
    }
    let firstID = max(now, record.headID + 1)
    let plan = AppendPlan(
      firstID: firstID, firstSequence: record.headSequence + 1, count: count,
      buckets: advanceBuckets(firstID: firstID, count: UInt64(count)))
    if record.headSequence == 0 { record.firstID = firstID }
    record.headID = plan.head.id
    record.headSequence = plan.head.sequence
    return plan
  }

  /// Counts consecutive ids `firstID ..< firstID + count` into the time index.
  private mutating func advanceBuckets(firstID: UInt64, count: UInt64) -> [TimeBucket] {
    let granularity = record.granularity
    var touched: [TimeBucket] = []
    var id = firstID
    let end = firstID + count
    while id < end {
      let start = granularity.bucketStart(of: id)
      let last = min(end, start + granularity.nanoseconds) - 1
      var bucket = headBucket?.start == start ? headBucket! : TimeBucket(start: start, lastID: 0, count: 0)
      bucket.count += last - id + 1
      bucket.lastID = last
      headBucket = bucket
      touched.append(bucket)
      id = last + 1
    }
    return touched
  }
}
