import GoetheKit

/// Writes a commit log that describes a store's records as they are, for a store whose log is
/// missing (format 1) or no longer matches its records (after a repair renumbered them).
///
/// The log it writes creates every topic, in number order; then appends each topic's events, one
/// record per run of consecutive ids (which is how appends wrote them); then stores every shared
/// consumer, and sets every cursor after them (a cursor moved since its consumer was stored
/// differs from the consumer's floor).
/// Applied to an empty store, it yields the same records. It keeps the stored epoch, and writes
/// the current format version last, so an interrupted rewrite is simply done again on the next
/// open: it begins by removing the log it finds.
enum CommitLogBaseline {
  static func rewrite(_ db: LevelDB) throws(GoetheError) {
    let writer = BatchWriter(db)
    try removeLog(db, writer)
    let epoch = try storedEpoch(db)
    var index: UInt64 = 0
    func log(_ record: CommitLogRecord) throws(GoetheError) {
      index += 1
      try writer.put(KeySchema.commitLogKey(index), record.encoded(epoch: epoch))
    }
    let topics = try catalog(db)
    for (name, record) in topics { try log(.createTopic(name: name, record: record)) }
    for (_, record) in topics {
      try forEachRun(db, topic: record.number) { run throws(GoetheError) in try log(run) }
    }
    let consumers = try db.makeIterator()
    consumers.seek([KeySchema.Prefix.consumer.rawValue])
    while consumers.isValid, consumers.key.first == KeySchema.Prefix.consumer.rawValue, consumers.key.count > 5 {
      let topic: UInt32 = consumers.key.bigEndian(at: 1)
      let consumer = String(decoding: UnsafeRawBufferPointer(rebasing: consumers.key[5...]), as: UTF8.self)
      try log(.setConsumer(topic: topic, consumer: consumer, record: try ConsumerRecord(decoding: consumers.value)))
      consumers.next()
    }
    try consumers.checkError()
    let cursors = try db.makeIterator()
    cursors.seek([KeySchema.Prefix.cursor.rawValue])
    while cursors.isValid, cursors.key.first == KeySchema.Prefix.cursor.rawValue, cursors.key.count > 5 {
      let topic: UInt32 = cursors.key.bigEndian(at: 1)
      let consumer = String(decoding: UnsafeRawBufferPointer(rebasing: cursors.key[5...]), as: UTF8.self)
      try log(.setCursor(topic: topic, consumer: consumer, record: try CursorRecord(decoding: cursors.value)))
      cursors.next()
    }
    try cursors.checkError()
    try writer.put(KeySchema.formatVersionKey, KeySchema.formatVersionValue)
    try writer.finish()
  }

  /// The epoch stored in the meta keyspace; 0 if none is.
  static func storedEpoch(_ db: LevelDB) throws(GoetheError) -> UInt64 {
    guard let value = try db.get(KeySchema.epochKey) else { return 0 }
    guard value.count == 8 else { throw KeySchema.corrupted("epoch") }
    return value.withUnsafeBytes { $0.bigEndian(at: 0) }
  }

  private static func removeLog(_ db: LevelDB, _ writer: BatchWriter) throws(GoetheError) {
    let iterator = try db.makeIterator()
    iterator.seek([KeySchema.Prefix.commitLog.rawValue])
    while iterator.isValid, iterator.key.first == KeySchema.Prefix.commitLog.rawValue {
      try writer.delete(Array(iterator.key))
      iterator.next()
    }
    try iterator.checkError()
  }

  /// The catalog's topics in number order, with their retention limits.
  private static func catalog(_ db: LevelDB) throws(GoetheError) -> [(name: String, record: TopicRecord)] {
    var topics: [(name: String, record: TopicRecord)] = []
    let iterator = try db.makeIterator()
    iterator.seek(KeySchema.topicsStart)
    while iterator.isValid, iterator.key.first == KeySchema.Prefix.topic.rawValue {
      let name = String(decoding: UnsafeRawBufferPointer(rebasing: iterator.key.dropFirst()), as: UTF8.self)
      var record = try TopicRecord(decoding: iterator.value)
      if let stored = try db.get(KeySchema.retentionKey(topic: record.number)) {
        let decoded = stored.withUnsafeBytes { bytes in
          Result { () throws(GoetheError) in try RetentionRecord(decoding: bytes) }
        }
        record.retention = try decoded.get().limits
      }
      topics.append((name, record))
      iterator.next()
    }
    try iterator.checkError()
    return topics.sorted { $0.record.number < $1.record.number }
  }

  /// Calls `body` with an append record for each run of events of `topic` whose ids and sequence
  /// numbers both follow on from the previous event's.
  private static func forEachRun(
    _ db: LevelDB, topic: UInt32, _ body: (CommitLogRecord) throws(GoetheError) -> Void
  ) throws(GoetheError) {
    var run: (firstID: UInt64, firstSequence: UInt64, lastID: UInt64, count: UInt32)?
    func flush() throws(GoetheError) {
      guard let open = run else { return }
      try body(
        .append(
          topic: topic, created: nil, firstID: open.firstID, firstSequence: open.firstSequence, count: open.count,
          producer: nil)
      )
      run = nil
    }
    let iterator = try db.makeIterator(bulk: true)
    iterator.seek(KeySchema.eventKey(topic: topic, id: 0))
    while iterator.isValid, let key = KeySchema.decodeEventKey(iterator.key), key.topic == topic {
      guard iterator.value.count > 8 else { throw KeySchema.corrupted("event \(key.id)") }
      let sequence: UInt64 = iterator.value.bigEndian(at: 0)
      if let open = run, key.id == open.lastID + 1, sequence == open.firstSequence + UInt64(open.count),
        open.count < UInt32.max
      {
        run = (open.firstID, open.firstSequence, key.id, open.count + 1)
      } else {
        try flush()
        run = (key.id, sequence, key.id, 1)
      }
      iterator.next()
    }
    try iterator.checkError()
    try flush()
  }
}
