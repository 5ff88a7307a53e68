import GoetheKit
import Synchronization

/// Deleting a topic takes two steps. The write that deletes it removes it from the catalog, so
/// that no write can name it again, and records that its number is never used again. Then, since
/// every write planned before that one is committed by the time it is, nothing more can add to
/// the topic's records, and they are removed in batches of bounded size, outside the commit log:
/// every node does the same once it has the deletion, and a node that stopped part-way removes
/// what is left when it opens the store (``removeDeletedTopicsRecords()``).
extension EventStore {
  func deleteTopic(_ name: String) async throws {
    let number = try await commit { state throws(GoetheError) in try state.plannedDeletion(name) }
    try await removeRecords(ofTopics: [number])
  }

  /// Removes the records of deleted topics, and compacts where they were.
  func removeRecords(ofTopics numbers: [UInt32]) async throws {
    guard !numbers.isEmpty else { return }
    notifier.retire(numbers)
    try await BlockingIO.runToEnd {
      for number in numbers {
        for prefix in KeySchema.topicNumberedPrefixes { try self.removeRecords(of: number, in: prefix) }
        try self.compact(topicNumber: number)
      }
    }
  }

  /// Removes the records of topics that are no longer in the catalog: what a deletion that was
  /// interrupted left behind.
  func removeDeletedTopicsRecords() throws(GoetheError) {
    let catalog = state.withLock { Set($0.topics.values.map(\.state.record.number)) }
    for prefix in KeySchema.topicNumberedPrefixes {
      var next: [UInt8] = [prefix.rawValue]
      while true {
        let iterator = try db.makeIterator()
        iterator.seek(next)
        try iterator.checkError()
        guard iterator.isValid, iterator.key.count >= 5, iterator.key[0] == prefix.rawValue else { break }
        let number: UInt32 = iterator.key.bigEndian(at: 1)
        if !catalog.contains(number) { try removeRecords(of: number, in: prefix) }
        guard number < .max else { break }
        next = [prefix.rawValue]
        next.appendBigEndian(number + 1)
      }
    }
  }

  /// Deletes every record of topic `number` in the keyspace `prefix`, 10,000 at a time.
  private func removeRecords(of number: UInt32, in prefix: KeySchema.Prefix) throws(GoetheError) {
    var start: [UInt8] = [prefix.rawValue]
    start.appendBigEndian(number)
    while true {
      let batch = WriteBatch()
      var count = 0
      let iterator = try db.makeIterator()
      iterator.seek(start)
      while count < 10_000, iterator.isValid, iterator.key.count >= 5, iterator.key.prefix(5).elementsEqual(start) {
        batch.delete(Array(iterator.key))
        count += 1
        iterator.next()
      }
      try iterator.checkError()
      guard count > 0 else { return }
      do throws(GoetheError) {
        try db.write(batch, sync: false)
      } catch {
        writeFailed(error)
        throw error
      }
    }
  }
}

extension EventStore.State {
  /// The write that deletes the topic from the catalog; its result is the topic's number.
  mutating func plannedDeletion(_ name: String) throws(GoetheError) -> EventStore.Planned<UInt32> {
    guard let entry = topics.removeValue(forKey: name) else { throw unknownTopic(name) }
    let number = entry.state.record.number
    let batch = WriteBatch()
    batch.delete(KeySchema.topicKey(name))
    var next: [UInt8] = []
    next.appendBigEndian(nextTopicNumber)
    batch.put(KeySchema.nextTopicNumberKey, next)
    return EventStore.Planned(
      batch: batch, result: number, log: .deleteTopic(topic: number, name: name), visible: nil)
  }
}
