import GoetheKit

/// Rebuilds goethe's records from what survived LevelDB's repair.
///
/// LevelDB's repair keeps every record it can read and drops the rest: a missing or truncated
/// table, a damaged block of a table, a damaged record of a log. What is left disagrees with
/// itself: the format version, the node identity or catalog entries may be gone, and a topic that
/// lost events has gaps in its sequence numbers, so its head sequence (which is its event count),
/// its consumers' lag and its time index would count events that no reader gets. The rebuild makes
/// every count agree with the readable events:
///
/// - A lost format version is written again; a lost node identity is replaced by a new one.
/// - A topic number with records left but no catalog entry gets an entry named `recovered-<number>`
///   (the name is only stored in the lost entry) with the default granularity, created at its first
///   readable event.
/// - Each topic's events keep their ids and payloads and are numbered 1, 2, 3, … in id order:
///   the head is the last readable event and the head sequence the number of readable events, and
///   appends go on from there with ids above every surviving one.
/// - Each cursor keeps its event id, so that a cursor on a lost event resumes at the next readable
///   one, and takes the number of readable events up to it as its sequence, so that its lag is exact.
/// - The time index is rebuilt from the events, and the commit log from every record
///   (``CommitLogBaseline``).
///
/// Apart from the time index, only records that differ are written, so a sound store keeps its
/// events and cursors as they are, and an interrupted repair can simply be run again.
struct StoreRecovery {
  let db: LevelDB
  let options: StoreOptions

  func run() throws(GoetheError) -> RecoveryReport {
    var report = RecoveryReport()
    let writer = BatchWriter(db)
    try restoreMeta(&report, writer)
    var topics = try readCatalog(&report, writer)
    try readCursorsAndTimeIndex(&topics, writer)
    try renumberEvents(&topics, writer)
    report.topics = try restoreCatalog(topics, writer)
    try forgetTrims(writer)
    try writer.finish()
    // Renumbered events and topics no longer match the commit log; it is written anew.
    try CommitLogBaseline.rewrite(db)
    return report
  }

  /// Keeps each topic's retention limits but forgets how far it was trimmed: its readable events
  /// are numbered from 1 again, so none counts as removed.
  private func forgetTrims(_ writer: BatchWriter) throws(GoetheError) {
    let iterator = try db.makeIterator()
    iterator.seek([KeySchema.Prefix.retention.rawValue])
    while iterator.isValid, iterator.key.first == KeySchema.Prefix.retention.rawValue {
      if let stored = try? RetentionRecord(decoding: iterator.value) {
        try writer.put(Array(iterator.key), RetentionRecord(limits: stored.limits, trimmedThrough: .empty).encoded)
      } else {
        try writer.delete(Array(iterator.key))
      }
      iterator.next()
    }
    try iterator.checkError()
  }

  /// What survived of one topic, gathered keyspace by keyspace.
  private struct Survivors {
    var entry: (name: String, record: TopicRecord)?
    /// Its cursors' keys and records.
    var cursors: [(key: [UInt8], record: CursorRecord)] = []
    /// The highest sequence number in any of its records before the repair.
    var highestSequence: UInt64 = 0
    var readable: UInt64 = 0
    var firstID: UInt64?

    func granularity(_ options: StoreOptions) -> Granularity {
      entry?.record.granularity ?? options.defaultGranularity
    }
  }

  /// Checks the format version, or writes it again if it is lost and every key is one of goethe's;
  /// replaces a lost node identity.
  private func restoreMeta(_ report: inout RecoveryReport, _ writer: BatchWriter) throws(GoetheError) {
    if let version = try db.get(KeySchema.formatVersionKey) {
      try EventStore.checkFormatVersion(version, path: db.path)
    } else {
      guard try holdsOnlyGoetheKeys() else { throw EventStore.notGoetheStore(db.path) }
      try writer.put(KeySchema.formatVersionKey, KeySchema.formatVersionValue)
      report.formatVersionRestored = true
    }
    if try db.get(KeySchema.nodeIDKey) == nil {
      let nodeID = KeySchema.newNodeID()
      try writer.put(KeySchema.nodeIDKey, Array(nodeID.utf8))
      report.newNodeID = nodeID
    }
  }

  /// Whether every key starts with one of goethe's keyspace prefixes: keys are in bytewise order
  /// and the prefixes are consecutive, so the first and the last key tell.
  private func holdsOnlyGoetheKeys() throws(GoetheError) -> Bool {
    let iterator = try db.makeIterator()
    iterator.seek([])
    let first = iterator.isValid ? iterator.key.first : nil
    iterator.seekToLast()
    let last = iterator.isValid ? iterator.key.first : nil
    try iterator.checkError()
    return [first, last].allSatisfy { byte in byte.map { KeySchema.Prefix(rawValue: $0) != nil } ?? true }
  }

  /// The topics of the catalog by number; entries that cannot be decoded are removed.
  private func readCatalog(
    _ report: inout RecoveryReport, _ writer: BatchWriter
  ) throws(GoetheError) -> [UInt32: Survivors] {
    var topics: [UInt32: Survivors] = [:]
    let iterator = try db.makeIterator()
    iterator.seek(KeySchema.topicsStart)
    while iterator.isValid, iterator.key.first == KeySchema.Prefix.topic.rawValue {
      let name = String(decoding: UnsafeRawBufferPointer(rebasing: iterator.key.dropFirst()), as: UTF8.self)
      if let record = try? TopicRecord(decoding: iterator.value) {
        topics[record.number, default: Survivors()].entry = (name, record)
      } else {
        try writer.delete(Array(iterator.key))
        report.unreadableCatalogEntries.append(name)
      }
      iterator.next()
    }
    try iterator.checkError()
    return topics
  }

  /// Collects the cursors and the highest sequence numbers the time index and the cursors know,
  /// and deletes the time index, which the event pass writes anew.
  private func readCursorsAndTimeIndex(_ topics: inout [UInt32: Survivors], _ writer: BatchWriter) throws(GoetheError) {
    let iterator = try db.makeIterator()
    iterator.seek([KeySchema.Prefix.cursor.rawValue])
    while iterator.isValid, let prefix = iterator.key.first, prefix <= KeySchema.Prefix.timeIndex.rawValue {
      let key = iterator.key
      if prefix == KeySchema.Prefix.timeIndex.rawValue {
        if let bucket = KeySchema.decodeTimeIndexKey(key),
          let decoded = try? TimeBucket(start: bucket.bucket, decoding: iterator.value)
        {
          topics[bucket.topic, default: Survivors()].highestSequence.raise(to: decoded.lastSequence)
        }
        try writer.delete(Array(key))
      } else if key.count > 5, let record = try? CursorRecord(decoding: iterator.value) {
        let topic: UInt32 = key.bigEndian(at: 1)
        topics[topic, default: Survivors()].cursors.append((Array(key), record))
        topics[topic, default: Survivors()].highestSequence.raise(to: record.sequence)
      } else {
        try writer.delete(Array(key))
      }
      iterator.next()
    }
    try iterator.checkError()
  }

  /// Gives every topic number without a catalog entry one, named `recovered-<number>`; returns
  /// every topic, by name.
  private func restoreCatalog(
    _ topics: [UInt32: Survivors], _ writer: BatchWriter
  ) throws(GoetheError) -> [RecoveryReport.Topic] {
    var taken = Set(topics.values.compactMap(\.entry?.name))
    var restored: [RecoveryReport.Topic] = []
    for (number, topic) in topics.sorted(by: { $0.key < $1.key }) {
      var name = topic.entry?.name ?? "recovered-\(number)"
      if topic.entry == nil {
        // A topic that already has the name keeps it.
        var suffix = 2
        while taken.contains(name) {
          name = "recovered-\(number)-\(suffix)"
          suffix += 1
        }
        taken.insert(name)
        let record = TopicRecord(
          number: number, granularity: topic.granularity(options), created: topic.firstID ?? options.clock())
        try writer.put(KeySchema.topicKey(name), record.encoded)
      }
      restored.append(
        RecoveryReport.Topic(
          name: name, number: number, readable: topic.readable, written: max(topic.highestSequence, topic.readable),
          nameLost: topic.entry == nil))
    }
    return restored.sorted { $0.name < $1.name }
  }

  /// Numbers every topic's events 1, 2, 3, … and rebuilds its time index and its cursors' sequences.
  private func renumberEvents(_ topics: inout [UInt32: Survivors], _ writer: BatchWriter) throws(GoetheError) {
    let iterator = try db.makeIterator(bulk: true)
    iterator.seek([KeySchema.Prefix.event.rawValue])
    var current: Renumbering?
    while iterator.isValid, iterator.key.first == KeySchema.Prefix.event.rawValue {
      let key = iterator.key
      let value = iterator.value
      guard let event = KeySchema.decodeEventKey(key), value.count > 8 else {
        try writer.delete(Array(key))
        iterator.next()
        continue
      }
      if current?.number != event.topic {
        try current?.finish(into: &topics, writer)
        current = Renumbering(event.topic, topics[event.topic, default: Survivors()], options: options)
      }
      try current?.add(id: event.id, key: key, value: value, writer)
      iterator.next()
    }
    try iterator.checkError()
    try current?.finish(into: &topics, writer)
    // Topics without a readable event: their cursors go back to sequence 0.
    for (number, topic) in topics where topic.readable == 0 {
      var empty = Renumbering(number, topic, options: options)
      try empty.finish(into: &topics, writer)
    }
  }

  /// One topic's events, visited in id order.
  private struct Renumbering {
    let number: UInt32
    let granularity: Granularity
    var cursors: ArraySlice<(key: [UInt8], record: CursorRecord)>
    var count: UInt64 = 0
    var firstID: UInt64?
    var highestSequence: UInt64 = 0
    var bucket: TimeBucket?

    init(_ number: UInt32, _ topic: Survivors, options: StoreOptions) {
      self.number = number
      granularity = topic.granularity(options)
      cursors = topic.cursors.sorted { $0.record.eventID < $1.record.eventID }[...]
    }

    /// Gives the event the next sequence number and counts it into its time-index bucket; a bucket
    /// is written once an event goes past it, the last stays open as in a running store.
    mutating func add(
      id: UInt64, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, _ writer: BatchWriter
    ) throws(GoetheError) {
      try settleCursors(before: id, writer)
      count += 1
      if firstID == nil { firstID = id }
      let stored: UInt64 = value.bigEndian(at: 0)
      highestSequence.raise(to: stored)
      if stored != count {
        var renumbered: [UInt8] = []
        renumbered.reserveCapacity(value.count)
        renumbered.appendBigEndian(count)
        renumbered.append(contentsOf: value[8...])
        try writer.put(Array(key), renumbered)
      }
      let start = granularity.bucketStart(of: id)
      if let closed = bucket, closed.start != start {
        try writer.put(KeySchema.timeIndexKey(topic: number, bucket: closed.start), closed.encoded)
        bucket = nil
      }
      var open = bucket ?? TimeBucket(start: start, lastID: 0, count: 0, lastSequence: 0)
      open.lastID = id
      open.count += 1
      open.lastSequence = count
      bucket = open
    }

    /// Gives the cursors on events before `id` the number of events counted so far.
    private mutating func settleCursors(before id: UInt64, _ writer: BatchWriter) throws(GoetheError) {
      while let cursor = cursors.first, cursor.record.eventID < id {
        if cursor.record.sequence != count {
          var record = cursor.record
          record.sequence = count
          try writer.put(cursor.key, record.encoded)
        }
        cursors.removeFirst()
      }
    }

    mutating func finish(into topics: inout [UInt32: Survivors], _ writer: BatchWriter) throws(GoetheError) {
      try settleCursors(before: .max, writer)
      topics[number, default: Survivors()].readable = count
      topics[number, default: Survivors()].firstID = firstID
      topics[number, default: Survivors()].highestSequence.raise(to: highestSequence)
    }
  }
}

extension UInt64 {
  fileprivate mutating func raise(to other: UInt64) { self = Swift.max(self, other) }
}
