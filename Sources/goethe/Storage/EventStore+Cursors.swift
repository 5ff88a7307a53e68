import GoetheKit
import Synchronization

extension EventStore {
  /// `consumer`'s cursor on `topic`.
  func cursor(topic: String, consumer: String) throws(GoetheError) -> CursorInfo {
    try Names.validateConsumer(consumer)
    guard let record = try storedCursor(topic: topic, consumer: consumer) else {
      throw GoetheError(.notFound, "consumer \(consumer) has no cursor on topic \(topic)")
    }
    return try cursorInfo(topic: topic, consumer: consumer, record: record)
  }

  /// Sets `consumer`'s cursor on `topic`, which means "resume after this event":
  /// - `.event(id)`: that event counts as processed; an id that names no event resolves to the
  ///   nearest following event, and past the head to the newest event.
  /// - `.time(t)`: the consumer resumes with the first event committed at or after `t`.
  /// - `.beginning` / `.end`: it resumes with the first event / with the next event to arrive.
  func setCursor(topic: String, consumer: String, to position: Position) async throws -> CursorInfo {
    try Names.validateConsumer(consumer)
    let target = try cursorTarget(topic: topic, position: position)
    return try await commitCursor(topic: topic, consumer: consumer, eventID: target.eventID, sequence: target.sequence)
  }

  /// The cursor that `position` sets, as ``setCursor(topic:consumer:to:)`` resolves it.
  func cursorTarget(topic: String, position: Position) throws(GoetheError) -> CursorRecord {
    let current = try readable(topic)
    let target: (id: UInt64, sequence: UInt64)
    switch position {
    case .beginning:
      target = (0, 0)
    case .end:
      target = (current.committed.id, current.committed.sequence)
    case .event(let id):
      target =
        try firstEvent(current.record.number, atOrAfter: id) ?? (current.committed.id, current.committed.sequence)
    case .time:
      let start = try resolveStart(position, in: topic)
      target = try lastEvent(current.record.number, before: start.fromID) ?? (0, 0)
    }
    return CursorRecord(eventID: target.id, sequence: target.sequence, updated: options.clock())
  }

  /// Records that `consumer` has processed the event `eventID` of `topic`, which must exist.
  func commitCursor(topic: String, consumer: String, eventID: UInt64) async throws -> CursorInfo {
    try Names.validateConsumer(consumer)
    let current = try readable(topic)
    guard let event = try firstEvent(current.record.number, atOrAfter: eventID), event.id == eventID else {
      throw GoetheError(.notFound, "topic \(topic) has no event \(eventID)")
    }
    return try await commitCursor(topic: topic, consumer: consumer, eventID: event.id, sequence: event.sequence)
  }

  private func commitCursor(
    topic: String, consumer: String, eventID: UInt64, sequence: UInt64
  ) async throws -> CursorInfo {
    try await commit { state throws(GoetheError) in
      let current = try state.topic(topic)
      let record = CursorRecord(eventID: eventID, sequence: sequence, updated: options.clock())
      let batch = WriteBatch()
      let number = current.record.number
      batch.put(KeySchema.cursorKey(topic: number, consumer: consumer), record.encoded)
      let info = CursorInfo(
        topic: topic, consumer: consumer, eventID: eventID, sequence: sequence, updated: record.updated,
        lag: current.committed.sequence - min(sequence, current.committed.sequence))
      return Planned(
        batch: batch, result: info, log: .setCursor(topic: number, consumer: consumer, record: record), visible: nil)
    }
  }

  /// Deletes `consumer`'s cursor on `topic`; it then starts from the beginning again.
  func deleteCursor(topic: String, consumer: String) async throws {
    _ = try cursor(topic: topic, consumer: consumer)
    try await commit { state throws(GoetheError) in
      let number = try state.topic(topic).record.number
      return Planned(
        batch: Self.cursorDeletion(topic: number, consumer: consumer), result: (),
        log: .deleteCursor(topic: number, consumer: consumer), visible: nil)
    }
  }

  /// Deletes a cursor, and with it the shared consumer's state if it has one.
  static func cursorDeletion(topic number: UInt32, consumer: String) -> WriteBatch {
    let batch = WriteBatch()
    batch.delete(KeySchema.cursorKey(topic: number, consumer: consumer))
    batch.delete(KeySchema.consumerKey(topic: number, consumer: consumer))
    return batch
  }

  /// The cursors of `topic`, or of every topic, by topic then consumer.
  func listCursors(topic: String?) async throws -> [CursorInfo] {
    try await BlockingIO.run { try self.scanCursors(topic: topic) }
  }

  /// The cursors of `topic`, or of every topic, by topic then consumer.
  func scanCursors(topic: String?) throws(GoetheError) -> [CursorInfo] {
    let topics: [TopicState]
    if let topic {
      topics = [try readable(topic)]
    } else {
      topics = state.withLock { $0.topics.values.map(\.state) }
    }
    var cursors: [CursorInfo] = []
    for current in topics.sorted(by: { $0.name < $1.name }) {
      let prefix = KeySchema.cursorPrefix(topic: current.record.number)
      let iterator = try db.makeIterator()
      iterator.seek(prefix)
      while iterator.isValid, let consumer = KeySchema.decodeCursorKey(iterator.key, topic: current.record.number) {
        let record = try CursorRecord(decoding: iterator.value)
        cursors.append(try cursorInfo(topic: current.name, consumer: consumer, record: record))
        iterator.next()
      }
      try iterator.checkError()
    }
    return cursors
  }

  func existingCursor(topic: String, consumer: String) throws(GoetheError) -> CursorInfo? {
    try Names.validateConsumer(consumer)
    return try storedCursor(topic: topic, consumer: consumer).map { record throws(GoetheError) in
      try cursorInfo(topic: topic, consumer: consumer, record: record)
    }
  }

  func storedCursor(topic: String, consumer: String) throws(GoetheError) -> CursorRecord? {
    let number = try readable(topic).record.number
    guard let value = try db.get(KeySchema.cursorKey(topic: number, consumer: consumer)) else { return nil }
    let decoded = value.withUnsafeBytes { bytes in
      Result { () throws(GoetheError) in try CursorRecord(decoding: bytes) }
    }
    return try decoded.get()
  }

  private func cursorInfo(topic: String, consumer: String, record: CursorRecord) throws(GoetheError) -> CursorInfo {
    let head = try readable(topic).committed.sequence
    return CursorInfo(
      topic: topic, consumer: consumer, eventID: record.eventID, sequence: record.sequence, updated: record.updated,
      lag: head - min(record.sequence, head))
  }

  /// The newest event of topic `number` with an id below `id`.
  private func lastEvent(_ number: UInt32, before id: UInt64) throws(GoetheError) -> (id: UInt64, sequence: UInt64)? {
    let iterator = try db.makeIterator()
    iterator.seek(KeySchema.eventKey(topic: number, id: id))
    if iterator.isValid { iterator.previous() } else { iterator.seekToLast() }
    try iterator.checkError()
    guard iterator.isValid, let key = KeySchema.decodeEventKey(iterator.key), key.topic == number,
      iterator.value.count > 8
    else { return nil }
    return (key.id, iterator.value.bigEndian(at: 0))
  }
}
