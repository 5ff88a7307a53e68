import Foundation
import GoetheKit
import Synchronization

/// Goethe's storage engine: topics, events, cursors and the time index in one LevelDB store.
///
/// Writes are planned under one lock (which serialises id assignment) and committed in the order
/// they were planned: inline in `never` mode, through the ``GroupCommitWriter`` in `always` mode.
/// Reads go straight to LevelDB, which holds only committed data. After a failed write the store
/// refuses further writes until it is reopened, since its in-memory heads may then be ahead of disk.
final class EventStore: Sendable {
  let db: LevelDB
  let options: StoreOptions
  let notifier = TopicNotifier()
  /// A random identity written when the store is created.
  let nodeID: String
  private let writer: GroupCommitWriter?
  let state: Mutex<State>

  struct State: Sendable {
    var topics: [String: TopicState] = [:]
    var names: [UInt32: String] = [:]
    var nextTopicNumber: UInt32 = 1
    /// Set after a failed write or on close; every later write fails with it.
    var failure: GoetheError?
  }

  /// Opens the store in `path`, creating it if missing.
  init(path: String, options: StoreOptions = StoreOptions()) throws(GoetheError) {
    try Self.prepareDirectory(path)
    let db = try LevelDB(path: path)
    do {
      nodeID = try Self.checkFormat(db)
      let loaded = try Self.loadTopics(db)
      self.db = db
      self.options = options
      state = Mutex(loaded)
      writer = options.durability == .always ? GroupCommitWriter(db: db) : nil
      for topic in loaded.topics.values { notifier.publish(topic: topic.record.number, head: topic.committed.id) }
    } catch {
      db.close()
      throw error
    }
  }

  /// Finishes queued commits, ends waiting readers and releases the directory.
  /// Call it once, after the last read and write has returned.
  func close() {
    state.withLock { $0.failure = GoetheError(.unavailable, "the store is closed") }
    writer?.stop()
    notifier.close()
    db.close()
  }

  /// Runs LevelDB's repair on the closed store in `path`.
  static func repair(path: String) throws(GoetheError) {
    try LevelDB.repair(path: path)
  }

  // MARK: Committing

  /// What a write planned under the lock produces: the batch, the caller's result and, for appends,
  /// what becomes visible to readers once the batch is durable.
  struct Planned<Result: Sendable> {
    var batch: WriteBatch
    var result: Result
    var visible: TopicState.Commit?
  }

  /// Plans a write under the state lock and commits it in planning order, durably in `always` mode.
  func commit<Result: Sendable>(
    _ plan: (inout State) throws(GoetheError) -> Planned<Result>
  ) async throws -> Result {
    guard let writer else { return try commitInline(plan) }
    return try await withCheckedThrowingContinuation { continuation in
      do {
        try state.withLock { state throws(GoetheError) in
          try state.checkWritable()
          let planned = try plan(&state)
          let accepted = writer.submit(planned.batch) { [self] outcome in
            switch outcome {
            case .success:
              publish(planned.visible)
              continuation.resume(returning: planned.result)
            case .failure(let error):
              fail(error)
              continuation.resume(throwing: error)
            }
          }
          guard accepted else { throw GoetheError(.unavailable, "the store is closing") }
        }
      } catch {
        continuation.resume(throwing: error)
      }
    }
  }

  private func commitInline<Result: Sendable>(
    _ plan: (inout State) throws(GoetheError) -> Planned<Result>
  ) throws(GoetheError) -> Result {
    let planned = try state.withLock { state throws(GoetheError) in
      try state.checkWritable()
      let planned = try plan(&state)
      do throws(GoetheError) {
        try db.write(planned.batch, sync: false)
      } catch {
        state.failure = Self.failedWrite(error)
        throw error
      }
      if let visible = planned.visible { state.topics[visible.topic]?.apply(visible) }
      return planned
    }
    if let visible = planned.visible { notifier.publish(topic: visible.number, head: visible.head.id) }
    return planned.result
  }

  /// Makes a durable append visible: records the committed head and wakes the topic's readers.
  private func publish(_ visible: TopicState.Commit?) {
    guard let visible else { return }
    state.withLock { $0.topics[visible.topic]?.apply(visible) }
    notifier.publish(topic: visible.number, head: visible.head.id)
  }

  private func fail(_ error: GoetheError) {
    state.withLock { state in
      if state.failure == nil { state.failure = Self.failedWrite(error) }
    }
  }

  private static func failedWrite(_ error: GoetheError) -> GoetheError {
    GoetheError(
      .unavailable, "the store stopped accepting writes after a failed write (\(error.message)); restart goethe",
      cause: error)
  }

  // MARK: Opening

  private static func prepareDirectory(_ path: String) throws(GoetheError) {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw GoetheError(
        .storageUnusable,
        "cannot create data directory \(path) (\((error as NSError).localizedDescription)); choose another --data-dir",
        cause: error)
    }
  }

  /// Checks (or, in a new store, writes) the format version; returns the node id.
  private static func checkFormat(_ db: LevelDB) throws(GoetheError) -> String {
    guard let version = try db.get(KeySchema.formatVersionKey) else {
      let probe = db.makeIterator()
      probe.seek([])
      guard !probe.isValid else {
        throw GoetheError(
          .corrupted, "\(db.path) holds a LevelDB store that is not a goethe store; choose another --data-dir")
      }
      let nodeID = UUID().uuidString.lowercased()
      let batch = WriteBatch()
      var encoded: [UInt8] = []
      encoded.appendBigEndian(KeySchema.formatVersion)
      batch.put(KeySchema.formatVersionKey, encoded)
      batch.put(KeySchema.nodeIDKey, Array(nodeID.utf8))
      try db.write(batch, sync: true)
      return nodeID
    }
    let found: UInt32? = version.count == 4 ? version.withUnsafeBytes { $0.bigEndian(at: 0) } : nil
    guard found == KeySchema.formatVersion else {
      throw GoetheError(
        .corrupted,
        "\(db.path) has storage format \(found.map(String.init) ?? "unknown"), this goethe reads format \(KeySchema.formatVersion); use a matching goethe version")
    }
    return String(decoding: try db.get(KeySchema.nodeIDKey) ?? [], as: UTF8.self)
  }

  private static func loadTopics(_ db: LevelDB) throws(GoetheError) -> State {
    var state = State()
    let iterator = db.makeIterator()
    iterator.seek(KeySchema.topicsStart)
    while iterator.isValid, iterator.key.first == KeySchema.Prefix.topic.rawValue {
      let name = String(decoding: UnsafeRawBufferPointer(rebasing: iterator.key.dropFirst()), as: UTF8.self)
      state.register(try loadTopic(db, name: name, record: try TopicRecord(decoding: iterator.value)))
      iterator.next()
    }
    try iterator.checkError()
    return state
  }

  /// A topic's head and first event from its events, and its open time-index bucket from the head
  /// and the last closed bucket.
  private static func loadTopic(_ db: LevelDB, name: String, record: TopicRecord) throws(GoetheError) -> TopicState {
    let number = record.number
    let iterator = db.makeIterator()
    iterator.seek(KeySchema.eventKey(topic: number, id: 0))
    guard iterator.isValid, let first = KeySchema.decodeEventKey(iterator.key), first.topic == number else {
      try iterator.checkError()
      return TopicState(name: name, record: record)
    }
    iterator.seek(KeySchema.eventKey(topic: number, id: .max))
    if iterator.isValid { iterator.previous() } else { iterator.seekToLast() }
    guard iterator.isValid, let last = KeySchema.decodeEventKey(iterator.key), last.topic == number,
      iterator.value.count > 8
    else {
      try iterator.checkError()
      throw KeySchema.corrupted("last event of topic \(name)")
    }
    let head = TopicState.Head(id: last.id, sequence: iterator.value.bigEndian(at: 0))
    let closedSequence = try lastClosedBucket(db, topic: number)?.lastSequence ?? 0
    guard closedSequence < head.sequence else { throw KeySchema.corrupted("time index of topic \(name)") }
    let open = TimeBucket(
      start: record.granularity.bucketStart(of: head.id), lastID: head.id, count: head.sequence - closedSequence,
      lastSequence: head.sequence)
    return TopicState(name: name, record: record, head: head, firstID: first.id, openBucket: open)
  }

  private static func lastClosedBucket(_ db: LevelDB, topic: UInt32) throws(GoetheError) -> TimeBucket? {
    let iterator = db.makeIterator()
    iterator.seek(KeySchema.timeIndexKey(topic: topic, bucket: .max))
    if iterator.isValid { iterator.previous() } else { iterator.seekToLast() }
    try iterator.checkError()
    guard iterator.isValid, let key = KeySchema.decodeTimeIndexKey(iterator.key), key.topic == topic else {
      return nil
    }
    return try TimeBucket(start: key.bucket, decoding: iterator.value)
  }
}

extension EventStore.State {
  func checkWritable() throws(GoetheError) {
    if let failure { throw failure }
  }

  func topic(_ name: String) throws(GoetheError) -> TopicState {
    try Names.validateTopic(name)
    guard let topic = topics[name] else {
      throw GoetheError(.notFound, "topic \(name) does not exist; create it with: goethectl topic create \(name)")
    }
    return topic
  }
}
