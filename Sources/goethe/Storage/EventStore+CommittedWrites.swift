import Foundation
import GoetheKit
import Synchronization

extension EventStore {
  /// The commit index of the last write.
  var lastCommitIndex: UInt64 { state.withLock { $0.lastCommitIndex } }
  var durableCommitIndex: UInt64 { state.withLock { $0.durableCommitIndex } }
  var writeRefusal: GoetheError? { state.withLock { $0.failure } }

  /// The epoch new writes are committed under.
  var epoch: UInt64 { state.withLock { $0.epoch } }

  /// The epoch of the write at the commit index `index`, from its commit log record alone; 0 for
  /// index 0 (before the first write), nil if the log has no such write.
  func epoch(ofWriteAt index: UInt64) throws(GoetheError) -> UInt64? {
    guard index > 0 else { return 0 }
    if let epoch = state.withLock({ $0.recent.epoch(ofWriteAt: index) }) { return epoch }
    guard let value = try db.get(KeySchema.commitLogKey(index)) else { return nil }
    let decoded = value.withUnsafeBytes { bytes in
      Result { () throws(GoetheError) in try CommitLogRecord.decode(bytes) }
    }
    return try decoded.get().epoch
  }

  /// Up to `limit` committed writes after the commit index `index`, in index order: the latest
  /// from memory (``RecentWrites``), others read back from the commit log with their payloads.
  func committedWrites(after index: UInt64, limit: Int) async throws -> [CommittedWrite] {
    if let recent = state.withLock({ $0.recent.writes(after: index, limit: limit) }) { return recent }
    return try await BlockingIO.run { try self.readCommittedWrites(after: index, limit: limit) }
  }

  private func readCommittedWrites(after index: UInt64, limit: Int) throws(GoetheError) -> [CommittedWrite] {
    let live = state.withLock { state in
      Dictionary(uniqueKeysWithValues: state.topics.values.map { ($0.state.record.number, $0.state) })
    }
    var deletedNames: [UInt32: String]?
    func name(_ number: UInt32) throws(GoetheError) -> String {
      if let topic = live[number] { return topic.name }
      if deletedNames == nil { deletedNames = try namesInCommitLog() }
      guard let name = deletedNames?[number] else {
        throw KeySchema.corrupted("commit log entry of topic number \(number)")
      }
      return name
    }
    var writes: [CommittedWrite] = []
    let iterator = try db.makeIterator()
    iterator.seek(KeySchema.commitLogKey(index + 1))
    while writes.count < limit, iterator.isValid, let next = KeySchema.decodeCommitLogKey(iterator.key) {
      let (epoch, record) = try CommitLogRecord.decode(iterator.value)
      let change: CommittedWrite.Change
      switch record {
      case .createTopic(let topic, let topicRecord):
        change = .createTopic(name: topic, record: topicRecord)
      case .append(let topic, let created, let firstID, let firstSequence, let count, let producer):
        // Events that a later write removed are sent as placeholders, which that write removes
        // again where they are applied.
        change = .append(
          topic: try name(topic), created: created, firstID: firstID, firstSequence: firstSequence,
          payloads: try payloads(
            topic: topic, firstID: firstID, firstSequence: firstSequence, count: count,
            removedThrough: live[topic]?.trimmedThrough.id ?? .max),
          producer: producer)
      case .setCursor(let topic, let consumer, let cursor):
        change = .setCursor(topic: try name(topic), consumer: consumer, record: cursor)
      case .deleteCursor(let topic, let consumer):
        change = .deleteCursor(topic: try name(topic), consumer: consumer)
      case .setRetention(let topic, let limits):
        change = .setRetention(topic: try name(topic), limits: limits)
      case .trim(let topic, let through):
        change = .trim(topic: try name(topic), through: through)
      case .deleteTopic(_, let topic):
        change = .deleteTopic(topic: topic)
      case .setConsumer(let topic, let consumer, let record):
        change = .setConsumer(topic: try name(topic), consumer: consumer, record: record)
      }
      writes.append(CommittedWrite(index: next, epoch: epoch, change: change))
      iterator.next()
    }
    try iterator.checkError()
    return writes
  }

  /// The names of the topics the commit log created, by number: how the writes of deleted topics
  /// are named.
  private func namesInCommitLog() throws(GoetheError) -> [UInt32: String] {
    var names: [UInt32: String] = [:]
    let iterator = try db.makeIterator()
    iterator.seek(KeySchema.commitLogKey(0))
    while iterator.isValid, KeySchema.decodeCommitLogKey(iterator.key) != nil {
      switch try CommitLogRecord.decode(iterator.value).record {
      case .createTopic(let name, let record): names[record.number] = name
      case .deleteTopic(let number, let name): names[number] = name
      default: break
      }
      iterator.next()
    }
    try iterator.checkError()
    return names
  }

  /// A stand-in for the payload of an event that was removed after it was committed.
  static let removedPayload = Data([0])

  /// The payloads of `count` events of topic `number` with consecutive ids and sequence numbers;
  /// ``removedPayload`` for those up to the id `removedThrough`, which may have been removed.
  private func payloads(
    topic number: UInt32, firstID: UInt64, firstSequence: UInt64, count: UInt32, removedThrough: UInt64
  ) throws(GoetheError)
    -> [Data]
  {
    var payloads: [Data] = []
    payloads.reserveCapacity(Int(count))
    let iterator = try db.makeIterator(bulk: true)
    iterator.seek(KeySchema.eventKey(topic: number, id: firstID))
    for offset in 0..<UInt64(count) {
      guard iterator.isValid, let key = KeySchema.decodeEventKey(iterator.key), key.topic == number,
        key.id == firstID + offset, iterator.value.count > 8,
        iterator.value.bigEndian(at: 0, as: UInt64.self) == firstSequence + offset
      else {
        try iterator.checkError()
        guard firstID + offset <= removedThrough else {
          throw KeySchema.corrupted("event \(firstID + offset), which the commit log names,")
        }
        payloads.append(Self.removedPayload)
        continue
      }
      payloads.append(Data(UnsafeRawBufferPointer(rebasing: iterator.value[8...])))
      iterator.next()
    }
    return payloads
  }

  /// Applies writes committed elsewhere (by a leader) exactly as they were committed there, in one
  /// LevelDB write (and, under `always`, one fsync), so this store reaches the same records. Each
  /// must be the write after the one before it, the first after this store's last, from an epoch
  /// no older than this store's; anything that does not follow on from this store's records (a
  /// topic or topic number already taken, an event sequence that leaves a gap) is refused, and
  /// then none of them is applied.
  ///
  /// A trim or a topic's deletion removes what the writes before it stored, which it finds in
  /// LevelDB: so the writes before it are applied first, and it is applied on its own.
  func apply(_ writes: [CommittedWrite]) async throws {
    var run: [CommittedWrite] = []
    for write in writes {
      if write.change.removesRecords, !run.isEmpty {
        try await applyRun(run)
        run = []
      }
      run.append(write)
      if write.change.removesRecords {
        try await applyRun(run)
        run = []
      }
    }
    try await applyRun(run)
  }

  private func applyRun(_ writes: [CommittedWrite]) async throws {
    guard let last = writes.last else { return }
    let db = db
    let deleted = state.withLock { state in
      writes.compactMap { write -> UInt32? in
        guard case .deleteTopic(let topic) = write.change else { return nil }
        return state.topics[topic]?.state.record.number
      }
    }
    try await commit(local: false) { state throws(GoetheError) in
      let before = state.snapshot()
      do throws(GoetheError) {
        var earlier: [Planned<Void>] = []
        for write in writes.dropLast() {
          let planned = try state.plan(write, in: db)
          state.lastCommitIndex += 1
          planned.batch.put(KeySchema.commitLogKey(state.lastCommitIndex), planned.log.encoded(epoch: write.epoch))
          earlier.append(planned)
        }
        // The last write's log record goes in as commit() logs every write: at the next index, under
        // the store's epoch, which is by then the write's.
        var final = try state.plan(last, in: db)
        final.committed = writes
        if !earlier.isEmpty {
          final.batch = WriteBatch(merging: earlier.map(\.batch) + [final.batch])
          final.alsoVisible = earlier.compactMap(\.visible)
        }
        return final
      } catch {
        state.restore(before)
        state.producers.forget(after: before.lastCommitIndex)
        throw error
      }
    }
    try await removeRecords(ofTopics: deleted)
  }
}

extension CommittedWrite.Change {
  /// Whether applying it removes records that earlier writes stored.
  var removesRecords: Bool {
    switch self {
    case .trim, .deleteTopic: true
    default: false
    }
  }
}

extension EventStore.State {
  /// The write of `write`, committed elsewhere, checked to follow on from this store's last write
  /// and epoch; the store's epoch becomes the write's.
  fileprivate mutating func plan(
    _ write: CommittedWrite, in db: LevelDB
  ) throws(GoetheError) -> EventStore.Planned<Void> {
    guard write.index == lastCommitIndex + 1 else {
      throw GoetheError(
        .conflict, "committed write \(write.index) does not follow this store's last write, \(lastCommitIndex)")
    }
    guard write.epoch >= epoch else {
      throw GoetheError(
        .conflict,
        "committed write \(write.index) is from epoch \(write.epoch), older than this node's epoch \(epoch)")
    }
    let planned = try plan(write.change, in: db)
    epoch = write.epoch
    return planned
  }

  /// What planning changes, to put back when a batch of writes is refused part-way.
  fileprivate struct Snapshot {
    var topics: [String: TopicState]
    var nextTopicNumber: UInt32
    var lastCommitIndex: UInt64
    var epoch: UInt64
  }

  fileprivate func snapshot() -> Snapshot {
    Snapshot(
      topics: topics.mapValues(\.state), nextTopicNumber: nextTopicNumber, lastCommitIndex: lastCommitIndex,
      epoch: epoch)
  }

  /// Puts back what planning changed since `snapshot`: topics registered since go, the others take
  /// their state back.
  fileprivate mutating func restore(_ snapshot: Snapshot) {
    topics = topics.filter { snapshot.topics[$0.key] != nil }
    for (name, entry) in topics { entry.state = snapshot.topics[name]! }
    nextTopicNumber = snapshot.nextTopicNumber
    lastCommitIndex = snapshot.lastCommitIndex
    epoch = snapshot.epoch
  }

  /// The write of a change committed elsewhere, checked against this store's records.
  fileprivate mutating func plan(
    _ change: CommittedWrite.Change, in db: LevelDB
  ) throws(GoetheError) -> EventStore.Planned<Void> {
    switch change {
    case .createTopic(let name, let record):
      try checkFree(name, record)
      register(TopicState(name: name, record: record))
      let batch = WriteBatch()
      putNewTopic(name, record, into: batch)
      return EventStore.Planned(batch: batch, result: (), log: .createTopic(name: name, record: record), visible: nil)
    case .append(let topic, let created, let firstID, let firstSequence, let payloads, let producer):
      let current: TopicState
      if let created {
        try checkFree(topic, created)
        current = TopicState(name: topic, record: created)
      } else {
        current = try self.topic(topic)
      }
      guard !payloads.isEmpty, firstSequence == current.head.sequence + 1, firstID > current.head.id else {
        throw GoetheError(
          .conflict,
          "events from sequence \(firstSequence) (id \(firstID)) do not follow topic \(topic)'s head, sequence \(current.head.sequence) (id \(current.head.id))"
        )
      }
      let entry = created == nil ? topics[topic]! : register(current)
      let plan = entry.state.planAppend(
        firstID: firstID, count: payloads.count, bytes: payloads.reduce(0) { $0 + UInt64($1.count) })
      return plannedAppend(payloads, to: entry, plan, created: created, producer: producer, result: ())
    case .setCursor(let topic, let consumer, let record):
      let number = try self.topic(topic).record.number
      let batch = WriteBatch()
      batch.put(KeySchema.cursorKey(topic: number, consumer: consumer), record.encoded)
      return EventStore.Planned(
        batch: batch, result: (), log: .setCursor(topic: number, consumer: consumer, record: record), visible: nil)
    case .deleteCursor(let topic, let consumer):
      let number = try self.topic(topic).record.number
      return EventStore.Planned(
        batch: EventStore.cursorDeletion(topic: number, consumer: consumer), result: (),
        log: .deleteCursor(topic: number, consumer: consumer), visible: nil)
    case .setRetention(let topic, let limits):
      let planned = try plannedRetention(topic, limits)
      return EventStore.Planned(batch: planned.batch, result: (), log: planned.log, visible: nil)
    case .trim(let topic, let through):
      return try plannedTrim(topic, through: through, in: db)
    case .deleteTopic(let topic):
      let planned = try plannedDeletion(topic)
      return EventStore.Planned(batch: planned.batch, result: (), log: planned.log, visible: nil)
    case .setConsumer(let topic, let consumer, let record):
      let number = try self.topic(topic).record.number
      return EventStore.Planned(
        batch: EventStore.consumerWrite(topic: number, consumer: consumer, record: record), result: (),
        log: .setConsumer(topic: number, consumer: consumer, record: record), visible: nil)
    }
  }

  /// Refuses a topic whose name or number this store already has.
  private func checkFree(_ name: String, _ record: TopicRecord) throws(GoetheError) {
    if let existing = topics[name] {
      throw GoetheError(.conflict, "topic \(name) exists here already, as number \(existing.state.record.number)")
    }
    if let holder = topics.values.first(where: { $0.state.record.number == record.number }) {
      throw GoetheError(.conflict, "topic number \(record.number) is topic \(holder.state.name) here, not \(name)")
    }
  }
}
