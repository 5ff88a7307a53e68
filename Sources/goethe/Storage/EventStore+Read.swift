import Foundation
import GoetheKit

/// Where a read of one topic starts, and what to tell the reader about it.
struct ReadStart: Sendable, Equatable {
  var topic: String
  var number: UInt32
  /// The id of the first event to deliver: reads return events with ids at or above it.
  var fromID: UInt64
  var info: StartInfo
}

extension EventStore {
  /// Resolves `position` in `topic`: a position that names no stored event resolves to the first
  /// event after it, and past the head to the next event to arrive; one that retention or a purge
  /// removed, to the first event kept (``StartInfo/Resolution/firstRetained``).
  func resolveStart(_ position: Position, in topic: String) throws(GoetheError) -> ReadStart {
    let current = try readable(topic)
    let number = current.record.number
    let found: (id: UInt64, sequence: UInt64)?
    let requested: UInt64?
    switch position {
    case .beginning:
      found = try firstEvent(number, atOrAfter: 0)
      requested = nil
    case .end:
      found = nil
      requested = nil
    case .event(let id):
      found = try firstEvent(number, atOrAfter: id)
      requested = id
    case .time(let time):
      found = try firstEvent(current, atOrAfterTime: time)
      requested = time
    }
    guard let found else {
      return ReadStart(
        topic: topic, number: number, fromID: current.committed.id + 1, info: StartInfo(resolution: .waiting))
    }
    let resolution: StartInfo.Resolution
    if let requested, current.trimmedThrough.sequence > 0, requested <= current.trimmedThrough.id {
      resolution = .firstRetained
    } else {
      resolution = requested == nil || requested == found.id ? .exact : .nearest
    }
    return ReadStart(
      topic: topic, number: number, fromID: found.id,
      info: StartInfo(resolution: resolution, eventID: found.id, sequence: found.sequence))
  }

  /// The start after `consumer`'s stored cursor, or at the beginning if it has none.
  func resolveStart(afterConsumer consumer: String, in topic: String) throws(GoetheError) -> ReadStart {
    try Names.validateConsumer(consumer)
    guard let cursor = try storedCursor(topic: topic, consumer: consumer) else {
      return try resolveStart(.beginning, in: topic)
    }
    var start = try resolveStart(.event(cursor.eventID + 1), in: topic)
    if start.info.resolution == .nearest { start.info.resolution = .exact }
    return start
  }

  /// The start `count` events before the head (the whole topic if it has fewer).
  func resolveStart(lastEvents count: UInt64, in topic: String) async throws -> ReadStart {
    try await BlockingIO.run { try self.startOfLast(count, in: topic) }
  }

  private func startOfLast(_ count: UInt64, in topic: String) throws(GoetheError) -> ReadStart {
    let current = try readable(topic)
    guard count > 0, current.committed.sequence > 0 else { return try resolveStart(.end, in: topic) }
    let iterator = try db.makeIterator()
    iterator.seek(KeySchema.eventKey(topic: current.record.number, id: current.committed.id))
    var steps: UInt64 = 1
    var first: UInt64 = current.committed.id
    while iterator.isValid, steps < count {
      iterator.previous()
      guard iterator.isValid, let key = KeySchema.decodeEventKey(iterator.key), key.topic == current.record.number
      else { break }
      first = key.id
      steps += 1
    }
    try iterator.checkError()
    return try resolveStart(.event(first), in: topic)
  }

  /// Up to `limit` events of the topic of `start` with ids in `from...through`, in order, stopping
  /// after the event that brings the payload total to `maxBytes`.
  ///
  /// The payloads are copied into one buffer and handed out as slices of it, which saves an
  /// allocation per event; a payload's indices therefore need not start at 0.
  func read(
    _ start: ReadStart, from: UInt64, through: UInt64, limit: Int, maxBytes: Int
  ) throws(GoetheError) -> [StoredEvent] {
    var found: [(id: UInt64, sequence: UInt64, end: Int)] = []
    found.reserveCapacity(min(limit, 256))
    var bytes: [UInt8] = []
    try scan(start.number, from: from, through: through, limit: limit) { id, sequence, payload in
      guard bytes.count < maxBytes else { return false }
      bytes.append(contentsOf: payload)
      found.append((id, sequence, bytes.count))
      return true
    }
    let buffer = Data(bytes)
    var offset = 0
    return found.map { event in
      defer { offset = event.end }
      return StoredEvent(
        topic: start.topic, id: event.id, sequence: event.sequence, payload: buffer[offset..<event.end])
    }
  }

  /// Visits up to `limit` events of topic `number` with ids in `from...through` without copying
  /// their payloads, which are valid only during the call, until `visit` returns false;
  /// returns how many events `visit` accepted.
  @discardableResult
  func scan(
    _ number: UInt32, from: UInt64, through: UInt64 = .max, limit: Int = .max,
    _ visit: (_ id: UInt64, _ sequence: UInt64, _ payload: UnsafeRawBufferPointer) throws(GoetheError) -> Bool
  ) throws(GoetheError) -> Int {
    guard from <= through, limit > 0 else { return 0 }
    let iterator = try db.makeIterator(bulk: true)
    iterator.seek(KeySchema.eventKey(topic: number, id: from))
    var visited = 0
    while visited < limit, iterator.isValid {
      guard let key = KeySchema.decodeEventKey(iterator.key), key.topic == number, key.id <= through else { break }
      let value = iterator.value
      guard value.count > 8 else { throw KeySchema.corrupted("event \(key.id)") }
      guard try visit(key.id, value.bigEndian(at: 0), UnsafeRawBufferPointer(rebasing: value[8...])) else { break }
      visited += 1
      iterator.next()
    }
    try iterator.checkError()
    return visited
  }

  @discardableResult
  func scan(
    _ start: ReadStart, from: UInt64, through: UInt64, limit: Int,
    _ visit: (_ id: UInt64, _ sequence: UInt64, _ payload: UnsafeRawBufferPointer) throws(GoetheError) -> Bool
  ) throws(GoetheError) -> Int {
    try scan(start.number, from: from, through: through, limit: limit, visit)
  }

  func waitForEvents(_ start: ReadStart, after: UInt64) async throws {
    try await notifier.wait(topic: start.number, after: after)
  }

  func endWaits() { notifier.close() }
  var waitsHaveEnded: Bool { notifier.isClosed }
  func waitUntilWaitsEnd() async throws { try await notifier.waitUntilClosed() }

  /// The first event of topic `number` with an id at or above `id`.
  func firstEvent(_ number: UInt32, atOrAfter id: UInt64) throws(GoetheError) -> (id: UInt64, sequence: UInt64)? {
    var found: (UInt64, UInt64)?
    try scan(number, from: id, limit: 1) { id, sequence, _ in
      found = (id, sequence)
      return true
    }
    return found
  }

  /// The first event committed at or after `time`, found through the time index: closed buckets
  /// whose last event is before `time` are skipped without reading their events; if no closed
  /// bucket reaches `time`, only events of the open bucket (or of a bucket whose closing append is
  /// still being committed) can, and a seek from `time` finds them.
  func firstEvent(
    _ topic: TopicState, atOrAfterTime time: UInt64
  ) throws(GoetheError) -> (id: UInt64, sequence: UInt64)? {
    let number = topic.record.number
    let iterator = try db.makeIterator()
    iterator.seek(KeySchema.timeIndexKey(topic: number, bucket: topic.record.granularity.bucketStart(of: time)))
    while iterator.isValid, let key = KeySchema.decodeTimeIndexKey(iterator.key), key.topic == number {
      let bucket = try TimeBucket(start: key.bucket, decoding: iterator.value)
      if bucket.lastID >= time { return try firstEvent(number, atOrAfter: max(time, bucket.start)) }
      iterator.next()
    }
    try iterator.checkError()
    return try firstEvent(number, atOrAfter: time)
  }

  /// The event counts per time-index bucket of `topic` for buckets overlapping `from..<to`: the
  /// closed buckets from the index, then the open one.
  func bucketCounts(_ topic: String, from: UInt64, to: UInt64) async throws -> [BucketCount] {
    try await BlockingIO.run { try self.scanBuckets(topic, from: from, to: to) }
  }

  private func scanBuckets(_ topic: String, from: UInt64, to: UInt64) throws(GoetheError) -> [BucketCount] {
    let current = try readable(topic)
    let number = current.record.number
    let first = current.record.granularity.bucketStart(of: from)
    let iterator = try db.makeIterator()
    iterator.seek(KeySchema.timeIndexKey(topic: number, bucket: first))
    var buckets: [BucketCount] = []
    while iterator.isValid, let key = KeySchema.decodeTimeIndexKey(iterator.key), key.topic == number, key.bucket < to {
      let bucket = try TimeBucket(start: key.bucket, decoding: iterator.value)
      buckets.append(BucketCount(start: bucket.start, count: bucket.count, lastEventID: bucket.lastID))
      iterator.next()
    }
    try iterator.checkError()
    // The open bucket as of the last commit, read before the index: if a commit closed it since,
    // the index holds it complete and the stale copy is dropped.
    if let open = current.visibleOpenBucket, open.start >= first, open.start < to,
      buckets.last.map({ $0.start < open.start }) ?? true
    {
      buckets.append(BucketCount(start: open.start, count: open.count, lastEventID: open.lastID))
    }
    return buckets
  }
}
