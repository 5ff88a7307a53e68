import GoetheKit

/// The store's memory of recent stamped appends (``ProducerStamp``): for each batch, where its
/// events went. An append whose stamp is here was stored already, and is answered from here.
///
/// A batch is remembered for at least `span` nanoseconds of event time after it was appended (its
/// first event's id is its time), counted against the newest batch remembered since; and of the
/// newest `capacity` batches, so that memory stays bounded whatever producers send. A batch whose
/// write is not yet durable is never forgotten, however long its write takes: a resend waiting for
/// it would find it gone and store it a second time. The window is
/// rebuilt from the commit log when the store opens, so it survives restarts, and it travels with
/// the committed writes to followers, so that it survives a change of leader.
struct ProducerWindow: Sendable {
  /// Where a batch's events went, and under which commit index.
  struct Entry: Equatable, Sendable {
    var topic: String
    var firstID: UInt64
    var firstSequence: UInt64
    var count: UInt32
    var commitIndex: UInt64
  }

  let span: UInt64
  let capacity: Int
  private var entries: [ProducerStamp: (entry: Entry, serial: Int)] = [:]
  /// Stamps in the order they were remembered, each with its serial number (its place in the
  /// order since the window began); those before `oldest` are forgotten.
  private var order: [(stamp: ProducerStamp, serial: Int)] = []
  private var oldest = 0
  private var forgotten = 0
  private var newestTime: UInt64 = 0

  init(span: UInt64, capacity: Int) {
    self.span = span
    self.capacity = capacity
  }

  var count: Int { entries.count }

  subscript(stamp: ProducerStamp) -> Entry? { entries[stamp]?.entry }

  /// Remembers `entry` under `stamp`, and forgets what fell out of the window and is durable,
  /// written at or before the commit index `durableThrough`.
  mutating func remember(_ stamp: ProducerStamp, _ entry: Entry, durableThrough: UInt64 = .max) {
    let serial = forgotten + order.count
    entries[stamp] = (entry, serial)
    order.append((stamp, serial))
    newestTime = max(newestTime, entry.firstID)
    while oldest < order.count {
      let (stamp, serial) = order[oldest]
      // A stamp remembered again since is forgotten only with its newer entry.
      if let held = entries[stamp], held.serial == serial {
        guard entries.count > capacity || newestTime - held.entry.firstID > span,
          held.entry.commitIndex <= durableThrough
        else { break }
        entries[stamp] = nil
      }
      oldest += 1
    }
    if oldest > 4096, oldest * 2 > order.count {
      order.removeFirst(oldest)
      forgotten += oldest
      oldest = 0
    }
  }

  /// Forgets the batches of writes after the commit index `index`: writes planned and then
  /// refused. (What they pushed out of the window stays forgotten.)
  mutating func forget(after index: UInt64) {
    entries = entries.filter { $0.value.entry.commitIndex <= index }
  }

  /// Remembers each batch of an append of `run`'s batches to `topic` from `firstID` and
  /// `firstSequence`, committed at `commitIndex`, while the writes through `durableThrough` are
  /// durable.
  mutating func remember(
    _ run: ProducerRun, topic: String, firstID: UInt64, firstSequence: UInt64, commitIndex: UInt64,
    durableThrough: UInt64 = .max
  ) {
    for batch in run.batches {
      remember(
        batch.stamp,
        Entry(
          topic: topic, firstID: firstID + batch.offset, firstSequence: firstSequence + batch.offset,
          count: batch.count, commitIndex: commitIndex), durableThrough: durableThrough)
    }
  }
}
