import GoetheKit
import Synchronization

/// Why an append was not planned: one of its batches is stored already under its stamp. The
/// caller answers that batch from ``EventStore/earlierAppend(_:to:count:)`` instead.
struct StoredAlready: Error {
  let stamp: ProducerStamp
}

extension EventStore {
  /// Where the batch stamped `stamp` went, if the deduplication window holds it: the batch was
  /// stored by an earlier send, and is answered with the ids it got then (marked as a duplicate),
  /// once it is durable. Nil when the window does not hold it, so it is to be appended.
  ///
  /// A stamp that went with another topic or another number of events is refused: the producer
  /// numbered two different batches alike.
  func earlierAppend(_ stamp: ProducerStamp, to topic: String, count: Int) async throws -> AppendResult? {
    let found = state.withLock { state in state.producers[stamp].map { (entry: $0, reloads: state.reloads) } }
    guard let (entry, firstReloads) = found else { return nil }
    guard entry.topic == topic, Int(entry.count) == count else {
      throw GoetheError(
        .conflict,
        "\(stamp) was stored already, with \(entry.count) events in topic \(entry.topic), not \(count) in \(topic); a producer must not number two batches alike"
      )
    }
    let last = entry.firstID + UInt64(entry.count) - 1
    // Remembered when it was planned: it may still be on its way to the disk. Its write is
    // durable once the store's durable commit index reaches the entry's (the window may forget
    // it from then on). A write that fails stops the store's writes; the batch is forgotten with
    // its stamp when the store reads its state again from the disk, and its commit index, ids
    // and sequence numbers then go to later appends. So the entry is looked at again at every
    // wake, a failure's and a reload's included (``TopicNotifier/reset()``): gone since a reload,
    // the batch was not stored, and is to be appended.
    while true {
      let resetsSeen = notifier.resets
      let (remembered, reloaded, durable, failure, waitOn) = state.withLock { state in
        (
          state.producers[stamp] == entry, state.reloads != firstReloads,
          entry.commitIndex <= state.durableCommitIndex, state.failure,
          state.topics[entry.topic].flatMap { $0.state.committed.id < last ? $0.state.record.number : nil }
        )
      }
      if reloaded, !remembered { return nil }
      if durable { break }
      if let failure { throw failure }
      guard remembered else { return nil }
      guard let waitOn else { break }
      try await notifier.wait(topic: waitOn, after: last - 1, resetsSeen: resetsSeen)
    }
    return AppendResult(
      topic: entry.topic, firstID: entry.firstID, firstSequence: entry.firstSequence, count: Int(entry.count),
      duplicate: true)
  }

  /// The deduplication window as the commit log's tail holds it: the stamped appends within the
  /// window's span of the newest append, at most as many batches as it holds, oldest first.
  static func loadProducerWindow(
    _ db: LevelDB, topics: [String: TopicEntry], options: StoreOptions
  ) throws(GoetheError) -> ProducerWindow {
    var window = ProducerWindow(span: options.deduplicationSpan, capacity: options.deduplicationCapacity)
    let names = Dictionary(
      topics.values.map { ($0.state.record.number, $0.state.name) }, uniquingKeysWith: { first, _ in first })
    var found: [(run: ProducerRun, topic: String, firstID: UInt64, firstSequence: UInt64, index: UInt64)] = []
    var batches = 0
    var newest: UInt64?
    let iterator = try db.makeIterator()
    iterator.seek(KeySchema.commitLogEnd)
    if iterator.isValid { iterator.previous() } else { iterator.seekToLast() }
    while iterator.isValid, batches < window.capacity, let index = KeySchema.decodeCommitLogKey(iterator.key) {
      if case .append(let topic, _, let firstID, let firstSequence, _, let producer) = try CommitLogRecord.decode(
        iterator.value
      ).record {
        let latest = newest ?? firstID
        newest = latest
        if latest > firstID, latest - firstID > window.span { break }
        // A deleted topic's batches are not answered again.
        if let producer, let name = names[topic] {
          found.append((producer, name, firstID, firstSequence, index))
          batches += producer.counts.count
        }
      }
      iterator.previous()
    }
    try iterator.checkError()
    for append in found.reversed() {
      window.remember(
        append.run, topic: append.topic, firstID: append.firstID, firstSequence: append.firstSequence,
        commitIndex: append.index)
    }
    return window
  }
}

extension EventStore.State {
  /// Refuses, with ``StoredAlready`` as the cause, an append of `run` if the window holds one of
  /// its batches.
  func checkNotStored(_ run: ProducerRun) throws(GoetheError) {
    for batch in run.batches where producers[batch.stamp] != nil {
      throw GoetheError(.alreadyExists, "\(batch.stamp) was stored already", cause: StoredAlready(stamp: batch.stamp))
    }
  }
}
