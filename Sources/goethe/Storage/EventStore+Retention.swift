import GoetheKit
import Synchronization

extension EventStore {
  func setRetention(_ topic: String, _ changes: RetentionChanges) async throws -> TopicInfo {
    try await commit { state throws(GoetheError) in
      guard let entry = state.topics[topic] else { throw state.unknownTopic(topic) }
      return try state.plannedRetention(topic, changes.applied(to: entry.state.record.retention))
    }
  }

  func retentionCut(_ topic: String, now: UInt64, limit: Int) async throws -> TopicState.Head? {
    let current = try readable(topic)
    let limits = current.record.retention
    guard !limits.isNone, current.committedCount > 0 else { return nil }
    let ageCutoff = limits.maxAge.map { now - min(now, $0) }
    let excessEvents = limits.maxEvents.map { current.committedCount - min(current.committedCount, $0) } ?? 0
    let excessBytes = limits.maxBytes.map { current.bytes - min(current.bytes, $0) } ?? 0
    guard ageCutoff.map({ current.firstID < $0 }) ?? false || excessEvents > 0 || excessBytes > 0 else { return nil }
    return try await BlockingIO.run {
      var removed: (count: UInt64, bytes: UInt64) = (0, 0)
      return try self.lastEvent(of: current, limit: limit) { id, size in
        let goes = removed.count < excessEvents || removed.bytes < excessBytes || ageCutoff.map { id < $0 } ?? false
        removed = (removed.count + 1, removed.bytes + size)
        return goes
      }
    }
  }

  func purgeCut(_ topic: String, before position: Position, limit: Int) async throws -> TopicState.Head? {
    let current = try readable(topic)
    let start = try resolveStart(position, in: topic)
    return try await BlockingIO.run {
      try self.lastEvent(of: current, limit: limit) { id, _ in id < start.fromID }
    }
  }

  /// The last of the topic's oldest committed events, at most `limit`, for which `goes` holds,
  /// stopping at the first for which it does not; `goes` gets each event's id and payload size.
  private func lastEvent(
    of topic: TopicState, limit: Int, while goes: (_ id: UInt64, _ size: UInt64) -> Bool
  ) throws(GoetheError) -> TopicState.Head? {
    var last: TopicState.Head?
    try scan(topic.record.number, from: topic.firstID, through: topic.committed.id, limit: limit) {
      id, sequence, payload in
      guard goes(id, UInt64(payload.count)) else { return false }
      last = TopicState.Head(id: id, sequence: sequence)
      return true
    }
    return last
  }

  func trim(_ topic: String, through last: TopicState.Head) async throws {
    let db = db
    try await commit { state throws(GoetheError) in try state.plannedTrim(topic, through: last, in: db) }
  }

  func compact(topic: String) async throws {
    let number = try readable(topic).record.number
    try await BlockingIO.run { try self.compact(topicNumber: number) }
  }

  /// Compacts every record of topic `number`.
  func compact(topicNumber number: UInt32) throws(GoetheError) {
    for prefix in KeySchema.topicNumberedPrefixes {
      var start: [UInt8] = [prefix.rawValue]
      start.appendBigEndian(number)
      var end: [UInt8] = [prefix.rawValue]
      end.appendBigEndian(number + 1)
      try db.compact(from: start, to: end)
    }
  }
}

extension EventStore.State {
  /// The write that replaces the topic's limits.
  mutating func plannedRetention(
    _ name: String, _ limits: RetentionLimits
  ) throws(GoetheError) -> EventStore.Planned<TopicInfo> {
    guard let entry = topics[name] else { throw unknownTopic(name) }
    entry.state.record.retention = limits
    let number = entry.state.record.number
    let batch = WriteBatch()
    batch.put(
      KeySchema.retentionKey(topic: number),
      RetentionRecord(limits: limits, trimmedThrough: entry.state.trimmedThrough).encoded)
    return EventStore.Planned(
      batch: batch, result: entry.state.info, log: .setRetention(topic: number, limits: limits), visible: nil)
  }

  /// The write that removes the topic's events through `last`, which must be committed, with the
  /// time-index buckets that held only them; the bucket that held some of them keeps the count of
  /// the others. It reads the events to delete from `db`, under the state lock: callers bound how
  /// many a trim removes.
  mutating func plannedTrim(
    _ name: String, through last: TopicState.Head, in db: LevelDB
  ) throws(GoetheError) -> EventStore.Planned<Void> {
    guard let entry = topics[name] else { throw unknownTopic(name) }
    let topic = entry.state
    guard last.sequence > topic.trimmedThrough.sequence, last.sequence <= topic.committed.sequence else {
      throw GoetheError(
        .conflict,
        "cannot remove the events of topic \(name) through sequence \(last.sequence): it keeps sequences \(topic.trimmedThrough.sequence + 1) to \(topic.committed.sequence)"
      )
    }
    // A bucket that an append being committed closes is written after this plan reads the index:
    // a trim must not reach into it, and waits for the next round.
    if let open = topic.committedOpenBucket, last.sequence > open.lastSequence - open.count,
      topic.openBucket?.start != open.start
    {
      throw GoetheError(.conflict, "topic \(name) is being appended to; try again")
    }
    let number = topic.record.number
    let batch = WriteBatch()
    var removed: (count: UInt64, bytes: UInt64, last: TopicState.Head?) = (0, 0, nil)
    var nextID: UInt64?
    let events = try db.makeIterator(bulk: true)
    events.seek(KeySchema.eventKey(topic: number, id: 0))
    while events.isValid, let key = KeySchema.decodeEventKey(events.key), key.topic == number {
      guard key.id <= last.id else {
        nextID = key.id
        break
      }
      guard events.value.count > 8 else { throw KeySchema.corrupted("event \(key.id)") }
      batch.delete(Array(events.key))
      removed = (
        removed.count + 1, removed.bytes + UInt64(events.value.count - 8),
        TopicState.Head(id: key.id, sequence: events.value.bigEndian(at: 0))
      )
      events.next()
    }
    try events.checkError()
    guard removed.last == last, removed.count == last.sequence - topic.trimmedThrough.sequence else {
      throw GoetheError(
        .conflict, "topic \(name) holds no event \(last.id) with sequence \(last.sequence) to remove through")
    }
    try trimTimeIndex(of: number, through: last.sequence, in: db, into: batch)
    batch.put(
      KeySchema.retentionKey(topic: number),
      RetentionRecord(limits: topic.record.retention, trimmedThrough: last).encoded)
    entry.state.trim(through: last, removedBytes: removed.bytes, nextID: nextID)
    return EventStore.Planned(batch: batch, result: (), log: .trim(topic: number, through: last), visible: nil)
  }

  /// Deletes the topic's closed buckets up to the one holding sequence `sequence`, and gives that
  /// one the count of the events after it.
  private func trimTimeIndex(
    of number: UInt32, through sequence: UInt64, in db: LevelDB, into batch: WriteBatch
  ) throws(GoetheError) {
    let index = try db.makeIterator()
    index.seek(KeySchema.timeIndexKey(topic: number, bucket: 0))
    while index.isValid, let key = KeySchema.decodeTimeIndexKey(index.key), key.topic == number {
      var bucket = try TimeBucket(start: key.bucket, decoding: index.value)
      guard bucket.lastSequence <= sequence else {
        if bucket.lastSequence - sequence < bucket.count {
          bucket.count = bucket.lastSequence - sequence
          batch.put(Array(index.key), bucket.encoded)
        }
        break
      }
      batch.delete(Array(index.key))
      index.next()
    }
    try index.checkError()
  }
}
