import GoetheKit
import Synchronization

extension EventStore {
  /// Undoes every write after the commit index `index`, in one atomic LevelDB write: what a
  /// follower does when its log has diverged from its leader's past that index. Those writes were
  /// never acknowledged to a client (an acknowledged write is on every in-sync node, the leader
  /// included), so nothing acknowledged is lost.
  ///
  /// Topics the writes created go with their events, cursors and time index; topics they appended
  /// to lose those events, and their time-index buckets from the new head's on, which is open
  /// again; cursors they set or deleted go back to what the last earlier write made them. The
  /// epoch becomes that of the write at `index`, so that the leader's writes apply after it, and a
  /// kept high watermark past `index` comes down to it. It
  /// refuses while another write is in progress: only the replication of a follower writes then.
  /// It refuses on a store that leads, too: a request of an older leader that reached this node
  /// just after it took up a newer epoch would otherwise put the older epoch back beneath it, and
  /// the node would lead while refusing every write; and the store takes up no leadership while a
  /// truncation runs (``lead(epoch:)``).
  func truncate(after index: UInt64) async throws {
    try await BlockingIO.runToEnd { try self.truncateNow(after: index) }
  }

  private func truncateNow(after index: UInt64) throws(GoetheError) {
    let taken = try state.withLock { state throws(GoetheError) -> (last: UInt64, topics: [String: TopicState])? in
      try state.checkWritable()
      guard !state.writing, state.waiting.isEmpty else {
        throw GoetheError(.conflict, "cannot truncate the log while a write is in progress")
      }
      if case .leading(let epoch) = state.localWrites {
        throw GoetheError(.conflict, "this node leads epoch \(epoch): it undoes no writes for another leader")
      }
      guard index < state.lastCommitIndex else { return nil }
      state.highWatermarkToKeep = state.highWatermarkToKeep.map { min($0, index) }
      state.writing = true
      state.truncating = true
      return (state.lastCommitIndex, state.topics.mapValues(\.state))
    }
    guard let taken else { return }
    let batch: WriteBatch
    do {
      batch = try truncation(after: index, last: taken.last, topics: taken.topics)
    } catch {
      state.withLock { state in
        state.writing = false
        state.truncating = false
      }
      throw error
    }
    do {
      try db.write(batch, sync: true)
      try reloadState { state in
        state.writing = false
        state.truncating = false
      }
    } catch {
      // Written or not, what the store keeps in memory may no longer be what it holds.
      let isFirst = state.withLock { state in
        state.writing = false
        state.truncating = false
        return state.stopWrites(after: error)
      }
      reportFailedWrite(error, isFirst: isFirst)
      throw error
    }
  }

  /// The batch that undoes the writes `index + 1 ... last`.
  private func truncation(
    after index: UInt64, last: UInt64, topics: [String: TopicState]
  ) throws(GoetheError)
    -> WriteBatch
  {
    let numbers = Dictionary(topics.values.map { ($0.record.number, $0) }, uniquingKeysWith: { first, _ in first })
    var dropped: Set<UInt32> = []
    var cut: [UInt32: UInt64] = [:]
    var cursors: Set<CursorName> = []
    let batch = WriteBatch()
    let log = try db.makeIterator()
    log.seek(KeySchema.commitLogKey(index + 1))
    while log.isValid, let commitIndex = KeySchema.decodeCommitLogKey(log.key), commitIndex <= last {
      switch try CommitLogRecord.decode(log.value).record {
      case .createTopic(_, let record):
        dropped.insert(record.number)
      case .append(let topic, let created, let firstID, _, _, _):
        if let created { dropped.insert(created.number) } else { cut[topic] = min(cut[topic] ?? firstID, firstID) }
      case .setCursor(let topic, let consumer, _), .deleteCursor(let topic, let consumer),
        .setConsumer(let topic, let consumer, _):
        cursors.insert(CursorName(topic: topic, consumer: consumer))
      case .setRetention, .trim, .deleteTopic:
        // What they removed is gone, and the limits they replaced are not in the log.
        throw GoetheError(
          .conflict,
          "cannot undo write \(commitIndex), which changed retention or removed events; empty this node's data directory and restart it to copy the leader's store"
        )
      }
      batch.delete(Array(log.key))
      log.next()
    }
    try log.checkError()

    for number in dropped {
      for prefix in KeySchema.topicNumberedPrefixes {
        try deleteAll(after: [prefix.rawValue] + number.bigEndianBytes, prefixed: 5, in: batch)
      }
      if let topic = numbers[number] { batch.delete(KeySchema.topicKey(topic.name)) }
    }
    for (number, firstID) in cut where !dropped.contains(number) {
      guard let topic = numbers[number] else { throw KeySchema.corrupted("commit log entry of topic number \(number)") }
      try cutEvents(of: topic.record, from: firstID, in: batch)
    }
    for cursor in cursors where !dropped.contains(cursor.topic) {
      try restore(cursor, asOf: index, in: batch)
    }
    var epoch: [UInt8] = []
    guard let last = try self.epoch(ofWriteAt: index) else { throw KeySchema.corrupted("commit log entry \(index)") }
    epoch.appendBigEndian(last)
    batch.put(KeySchema.epochKey, epoch)
    if try keptHighWatermark() > index { batch.put(KeySchema.highWatermarkKey, KeySchema.highWatermarkValue(index)) }
    return batch
  }

  /// Deletes the topic's events from `firstID` on, and its time-index buckets from the bucket of
  /// the event before them, which becomes the open bucket again.
  private func cutEvents(of record: TopicRecord, from firstID: UInt64, in batch: WriteBatch) throws(GoetheError) {
    let number = record.number
    let events = try db.makeIterator()
    events.seek(KeySchema.eventKey(topic: number, id: firstID))
    events.previous()
    let newHead =
      events.isValid ? KeySchema.decodeEventKey(events.key).flatMap { $0.topic == number ? $0.id : nil } : nil
    try events.checkError()
    let prefix = [KeySchema.Prefix.event.rawValue] + number.bigEndianBytes
    try deleteAll(after: KeySchema.eventKey(topic: number, id: firstID), prefixed: prefix.count, in: batch)
    let firstOpen = newHead.map { record.granularity.bucketStart(of: $0) } ?? 0
    try deleteAll(
      after: KeySchema.timeIndexKey(topic: number, bucket: firstOpen), prefixed: prefix.count, in: batch)
  }

  /// Deletes every key from `start` on that shares its first `prefixed` bytes.
  private func deleteAll(after start: [UInt8], prefixed length: Int, in batch: WriteBatch) throws(GoetheError) {
    let prefix = start.prefix(length)
    let iterator = try db.makeIterator()
    iterator.seek(start)
    while iterator.isValid, iterator.key.count >= length, iterator.key.prefix(length).elementsEqual(prefix) {
      batch.delete(Array(iterator.key))
      iterator.next()
    }
    try iterator.checkError()
  }

  /// Puts the cursor and the shared consumer's state back as the last writes up to `index` left
  /// them: set, or absent.
  private func restore(_ cursor: CursorName, asOf index: UInt64, in batch: WriteBatch) throws(GoetheError) {
    let cursorKey = KeySchema.cursorKey(topic: cursor.topic, consumer: cursor.consumer)
    let consumerKey = KeySchema.consumerKey(topic: cursor.topic, consumer: cursor.consumer)
    var cursorRestored = false
    let log = try db.makeIterator()
    log.seek(KeySchema.commitLogKey(index + 1))
    log.previous()
    while log.isValid, KeySchema.decodeCommitLogKey(log.key) != nil {
      switch try CommitLogRecord.decode(log.value).record {
      case .setCursor(cursor.topic, cursor.consumer, let record) where !cursorRestored:
        batch.put(cursorKey, record.encoded)
        cursorRestored = true
      case .setConsumer(cursor.topic, cursor.consumer, let record):
        if !cursorRestored { batch.put(cursorKey, record.floor.encoded) }
        batch.put(consumerKey, record.encoded)
        return
      case .deleteCursor(cursor.topic, cursor.consumer):
        if !cursorRestored { batch.delete(cursorKey) }
        batch.delete(consumerKey)
        return
      default:
        break
      }
      log.previous()
    }
    try log.checkError()
    if !cursorRestored { batch.delete(cursorKey) }
    batch.delete(consumerKey)
  }

  private struct CursorName: Hashable {
    var topic: UInt32
    var consumer: String
  }
}

extension UInt32 {
  fileprivate var bigEndianBytes: [UInt8] {
    var bytes: [UInt8] = []
    bytes.appendBigEndian(self)
    return bytes
  }
}
