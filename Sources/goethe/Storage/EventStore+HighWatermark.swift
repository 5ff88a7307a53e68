import GoetheKit
import Synchronization

/// The events that the writes past a commit index appended to one topic: what a clustered node
/// hides from readers until the high watermark passes `lastIndex` (``FollowerReplica``).
struct UnconfirmedAppends: Equatable, Sendable {
  var topic: String
  /// The commit index of the last of those writes.
  var lastIndex: UInt64
  /// The last event id readers may see meanwhile: the one before the first of those events, 0
  /// if one of the writes created the topic.
  var visibleThrough: UInt64
  /// The id of the last of those events.
  var lastID: UInt64
}

extension EventStore {
  var writesInProgress: Bool { state.withLock { $0.writing || !$0.waiting.isEmpty } }

  /// The high watermark this node last kept; 0 if it never kept one.
  func keptHighWatermark() throws(GoetheError) -> UInt64 {
    guard let value = try db.get(KeySchema.highWatermarkKey) else { return 0 }
    guard value.count == 8 else { throw KeySchema.corrupted("high watermark") }
    return value.withUnsafeBytes { $0.bigEndian(at: 0) }
  }

  /// Keeps the cluster's high watermark with the next write this store commits, its own or one
  /// applied for a leader, rather than in a write of its own outside the writing turn. A value
  /// not yet written, or lost in a crash, leaves an older one, which hides more after a restart,
  /// never less.
  func keep(highWatermark: UInt64) {
    state.withLock { $0.highWatermarkToKeep = highWatermark }
  }

  /// The events the writes after the commit index `index` appended, one entry per topic that
  /// still exists, in the order of their last such write. It reads the commit log only, not the
  /// events.
  func unconfirmedAppends(after index: UInt64) throws(GoetheError) -> [UnconfirmedAppends] {
    let names = state.withLock { state in
      Dictionary(
        state.topics.values.map { ($0.state.record.number, $0.state.name) }, uniquingKeysWith: { first, _ in first })
    }
    var byTopic: [UInt32: UnconfirmedAppends] = [:]
    let log = try db.makeIterator()
    log.seek(KeySchema.commitLogKey(index + 1))
    while log.isValid, let commitIndex = KeySchema.decodeCommitLogKey(log.key) {
      if case .append(let number, let created, let firstID, _, let count, _) = try CommitLogRecord.decode(log.value)
        .record, count > 0, let name = names[number]
      {
        var appends =
          byTopic[number]
          ?? UnconfirmedAppends(
            topic: name, lastIndex: commitIndex, visibleThrough: created == nil ? firstID - 1 : 0, lastID: firstID)
        if created != nil { appends.visibleThrough = 0 }
        appends.lastIndex = commitIndex
        appends.lastID = firstID + UInt64(count) - 1
        byTopic[number] = appends
      }
      log.next()
    }
    try log.checkError()
    return byTopic.values.sorted { $0.lastIndex < $1.lastIndex }
  }
}
