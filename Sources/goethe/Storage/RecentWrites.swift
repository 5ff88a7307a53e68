import NIOCore

/// The latest committed writes as values, kept in memory on a clustered node so that the leader's
/// replication links send a write just committed without reading it back from LevelDB
/// (``EventStore/committedWrites(after:limit:)``), which costs a thread hop and two iterators for
/// every follower and every batch.
///
/// It holds an unbroken run of writes, in index order, only once each is durable: a write the
/// store commits without its value at hand (anything but an append or a write applied from a
/// leader) ends the run, and the next starts a new one; undoing writes empties it. Its writes'
/// weight (``weight(of:)``) is bounded by `maxBytes`, and the oldest writes go first. With
/// `maxBytes` 0 it keeps nothing.
struct RecentWrites: Sendable {
  private var writes = CircularBuffer<CommittedWrite>()
  private var bytes = 0
  let maxBytes: Int

  /// What a write counts for besides its payloads, so that writes without any (cursors applied
  /// on a follower) are bounded too.
  static let overhead = 256

  static func weight(of write: CommittedWrite) -> Int { write.payloadBytes + overhead }

  init(maxBytes: Int) {
    self.maxBytes = maxBytes
  }

  /// Adds writes just made durable, which follow on from the last one held; nil for writes whose
  /// values are not at hand, which end the run.
  mutating func record(_ committed: [CommittedWrite]?) {
    guard maxBytes > 0 else { return }
    guard let committed else { return removeAll() }
    for write in committed {
      if let last = writes.last, write.index != last.index + 1 { removeAll() }
      writes.append(write)
      bytes += Self.weight(of: write)
    }
    while bytes > maxBytes, let oldest = writes.popFirst() {
      bytes -= Self.weight(of: oldest)
    }
  }

  mutating func removeAll() {
    writes.removeAll(keepingCapacity: true)
    bytes = 0
  }

  /// Up to `limit` writes after the commit index `index`, in index order (none if `index` is the
  /// last durable write, which the last held write is); nil unless `index` lies in the run or just
  /// before it.
  func writes(after index: UInt64, limit: Int) -> [CommittedWrite]? {
    guard let first = writes.first, index >= first.index - 1, index <= first.index - 1 + UInt64(writes.count)
    else { return nil }
    let start = writes.index(writes.startIndex, offsetBy: Int(index - (first.index - 1)))
    let end = writes.index(start, offsetBy: min(limit, writes.distance(from: start, to: writes.endIndex)))
    return Array(writes[start..<end])
  }

  /// The epoch of the write at `index`, if it is held.
  func epoch(ofWriteAt index: UInt64) -> UInt64? {
    guard let first = writes.first, index >= first.index, index < first.index + UInt64(writes.count) else {
      return nil
    }
    return writes[writes.index(writes.startIndex, offsetBy: Int(index - first.index))].epoch
  }
}

extension CommittedWrite {
  /// The bytes of its payloads: what makes it large.
  var payloadBytes: Int {
    guard case .append(_, _, _, _, let payloads, _) = change else { return 0 }
    return payloads.reduce(0) { $0 + $1.count }
  }
}
