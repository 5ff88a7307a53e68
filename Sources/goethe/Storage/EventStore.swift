import Foundation
import GoetheKit
import Synchronization

/// Goethe's storage engine: topics, events, cursors and the time index in one LevelDB store.
///
/// Writes are planned under one lock (which serialises id assignment) and committed in the order
/// they were planned, concurrent writes sharing one LevelDB write (see `EventStore+Commit.swift`).
/// Reads go straight to LevelDB, which holds only committed data. After a failed write the store
/// refuses further writes until it is reopened, since its in-memory heads may then be ahead of disk;
/// after a full disk it reopens itself once there is space (`EventStore+DiskFull.swift`).
final class EventStore: GoetheStore {
  let db: LevelDB
  let options: StoreOptions
  let notifier = TopicNotifier()
  /// A random identity written when the store is created.
  let nodeID: String
  let state: Mutex<State>
  /// Whether the store waits for space on a full disk (see ``awaitSpace()``).
  let awaitingSpace = Atomic<Bool>(false)

  struct State: Sendable {
    var topics: [String: TopicEntry] = [:]
    var nextTopicNumber: UInt32 = 1
    /// The commit index of the last planned write (see ``CommittedWrite``).
    var lastCommitIndex: UInt64 = 0
    /// The commit index of the last write that is durable (written, under `--sync never`): behind
    /// ``lastCommitIndex`` while a write is on its way to the disk, and after a write failed.
    var durableCommitIndex: UInt64 = 0
    /// The epoch new writes are committed under: the highest this node has accepted.
    var epoch: UInt64 = 0
    /// Set after a failed write or on close; every later write fails with it.
    var failure: GoetheError?
    /// How many times the state was read again from the disk (``EventStore/reloadState(finishing:)``),
    /// which may give a commit index planned before to another write.
    var reloads: UInt64 = 0
    /// Whether a write is being written to LevelDB now, and the writes planned meanwhile, which
    /// its writer writes next.
    var writing = false
    var waiting: [PendingWrite] = []
    /// Whether a truncation is undoing writes now (``truncate(after:)``), which the store's epoch
    /// goes back with: the store takes up no leadership meanwhile.
    var truncating = false
    /// Written batches kept for reuse, which spares appends allocating and growing new ones.
    var spareBatches: [WriteBatch] = []
    /// The recent stamped appends, filled when the store opens (``loadProducerWindow(_:topics:options:)``).
    var producers = ProducerWindow(span: 0, capacity: 0)
    /// Which of this node's own writes it takes: in a cluster, only its leader's.
    var localWrites = LocalWrites.open
    /// The latest durable writes as values, for replication.
    var recent = RecentWrites(maxBytes: 0)
    /// The high watermark to keep with the next write (``EventStore/keep(highWatermark:)``).
    var highWatermarkToKeep: UInt64?
  }

  /// Opens the store in `path`, creating it if the directory holds none; refuses a damaged store
  /// (see ``DataDirectory``) and one that is not goethe's.
  init(path: String, options: StoreOptions = StoreOptions()) throws(GoetheError) {
    let holdsStore = try DataDirectory.prepare(path)
    let db = try LevelDB(path: path, createIfMissing: !holdsStore)
    do {
      nodeID = try Self.checkFormat(db)
      var head = State()
      try Self.loadCommitLogHead(db, into: &head)
      var loaded = try Self.loadTopics(db, sizes: TopicSizes.take(from: path, at: head.lastCommitIndex))
      try Self.loadCommitLogHead(db, into: &loaded)
      loaded.producers = try Self.loadProducerWindow(db, topics: loaded.topics, options: options)
      loaded.recent = RecentWrites(maxBytes: options.recentWriteBytes)
      self.db = db
      self.options = options
      state = Mutex(loaded)
      for topic in loaded.topics.values.map(\.state) {
        notifier.publish(topic: topic.record.number, head: topic.committed.id)
      }
      try removeDeletedTopicsRecords()
    } catch {
      db.close()
      throw error
    }
  }

  var durability: Durability { options.durability }
  var maxEventSize: Int { options.maxEventSize }
  func now() -> UInt64 { options.clock() }
  func compact() async throws { try await BlockingIO.run { try self.db.compact() } }

  func close() {
    let sizes = state.withLock { state -> (index: UInt64, bytes: [UInt32: UInt64])? in
      defer { state.failure = GoetheError(.unavailable, "the store is closed") }
      // After a failed write the sizes may count what is not stored.
      guard state.failure == nil else { return nil }
      return (
        state.lastCommitIndex, state.topics.values.reduce(into: [:]) { $0[$1.state.record.number] = $1.state.bytes }
      )
    }
    notifier.close()
    db.close()
    if let sizes { TopicSizes.save(sizes.bytes, at: sizes.index, in: db.path) }
  }

  /// Recovers what is readable of the closed store in `path`: LevelDB's repair keeps every record
  /// whose checksum holds, then ``StoreRecovery`` rebuilds goethe's records from them. `options`
  /// give topics that lost their catalog entry a granularity, and empty ones a creation time.
  @discardableResult
  static func repair(path: String, options: StoreOptions = StoreOptions()) throws(GoetheError) -> RecoveryReport {
    guard try DataDirectory.holdsStore(path) else {
      throw GoetheError(.notFound, "\(path) holds no goethe store; nothing to repair")
    }
    // Sizes saved at the last close count events that repair may not find.
    _ = TopicSizes.take(from: path, at: .max)
    try LevelDB.repair(path: path)
    let db = try LevelDB(path: path, createIfMissing: false)
    defer { db.close() }
    return try StoreRecovery(db: db, options: options).run()
  }

  // MARK: Opening

  /// Checks (or, in a new store, writes) the format version; returns the node id.
  private static func checkFormat(_ db: LevelDB) throws(GoetheError) -> String {
    guard let version = try db.get(KeySchema.formatVersionKey) else {
      let probe = try db.makeIterator()
      probe.seek([])
      try probe.checkError()
      if probe.isValid {
        guard KeySchema.Prefix(rawValue: probe.key[0]) != nil else { throw notGoetheStore(db.path) }
        throw LevelDBStatus.damaged(db.path, "its goethe records are there, its format version is not")
      }
      let nodeID = KeySchema.newNodeID()
      let batch = WriteBatch()
      batch.put(KeySchema.formatVersionKey, KeySchema.formatVersionValue)
      batch.put(KeySchema.nodeIDKey, Array(nodeID.utf8))
      try db.write(batch, sync: true)
      return nodeID
    }
    switch try checkFormatVersion(version, path: db.path) {
    case 1:
      try CommitLogBaseline.rewrite(db)
    case KeySchema.formatVersion:
      break
    default:
      let batch = WriteBatch()
      batch.put(KeySchema.formatVersionKey, KeySchema.formatVersionValue)
      try db.write(batch, sync: true)
    }
    return String(decoding: try db.get(KeySchema.nodeIDKey) ?? [], as: UTF8.self)
  }

  /// The stored format version, which this build must be able to open (an older one it upgrades).
  @discardableResult
  static func checkFormatVersion(_ version: [UInt8], path: String) throws(GoetheError) -> UInt32 {
    let found: UInt32? = version.count == 4 ? version.withUnsafeBytes { $0.bigEndian(at: 0) } : nil
    guard let found, KeySchema.readableFormatVersions.contains(found) else {
      throw GoetheError(
        .corrupted,
        "\(path) has storage format \(found.map(String.init) ?? "unknown"), this goethe reads format \(KeySchema.formatVersion) (and upgrades older ones); use a matching goethe version"
      )
    }
    return found
  }

  /// Puts the topics, the commit log's head and the deduplication window as stored in place of the
  /// state's, after a change made beneath the state (a truncation, a reopen), with `finish`'s own
  /// changes in the same lock; gives the readers' notifier the topics' heads as stored, and wakes
  /// the waits on what the state held (``TopicNotifier/reload(heads:)``, ``TopicNotifier/reset()``).
  func reloadState(finishing finish: (inout State) -> Void) throws(GoetheError) {
    var loaded = try Self.loadTopics(db)
    try Self.loadCommitLogHead(db, into: &loaded)
    let producers = try Self.loadProducerWindow(db, topics: loaded.topics, options: options)
    state.withLock { state in
      state.topics = loaded.topics
      state.nextTopicNumber = loaded.nextTopicNumber
      state.lastCommitIndex = loaded.lastCommitIndex
      state.durableCommitIndex = loaded.durableCommitIndex
      state.epoch = loaded.epoch
      state.producers = producers
      state.recent.removeAll()
      state.reloads += 1
      finish(&state)
    }
    let topics = loaded.topics.values.map(\.state)
    notifier.reload(heads: Dictionary(topics.map { ($0.record.number, $0.committed.id) }, uniquingKeysWith: max))
    notifier.reset()
  }

  /// The last commit index and the epoch: the stored epoch, or the last write's if that is higher.
  static func loadCommitLogHead(_ db: LevelDB, into state: inout State) throws(GoetheError) {
    state.epoch = try CommitLogBaseline.storedEpoch(db)
    let iterator = try db.makeIterator()
    iterator.seek(KeySchema.commitLogEnd)
    if iterator.isValid { iterator.previous() } else { iterator.seekToLast() }
    try iterator.checkError()
    guard iterator.isValid, let index = KeySchema.decodeCommitLogKey(iterator.key) else { return }
    state.lastCommitIndex = index
    state.durableCommitIndex = index
    state.epoch = max(state.epoch, try CommitLogRecord.decode(iterator.value).epoch)
  }

  /// The refusal of a LevelDB store that goethe did not write.
  static func notGoetheStore(_ path: String) -> GoetheError {
    GoetheError(.corrupted, "\(path) holds a LevelDB store that is not a goethe store; choose another --data-dir")
  }

  /// The catalog's topics; `sizes` are their payload bytes by number where known (``TopicSizes``),
  /// the others are counted from their events.
  static func loadTopics(_ db: LevelDB, sizes: [UInt32: UInt64] = [:]) throws(GoetheError) -> State {
    var state = State()
    let iterator = try db.makeIterator()
    iterator.seek(KeySchema.topicsStart)
    while iterator.isValid, iterator.key.first == KeySchema.Prefix.topic.rawValue {
      let name = String(decoding: UnsafeRawBufferPointer(rebasing: iterator.key.dropFirst()), as: UTF8.self)
      let record = try TopicRecord(decoding: iterator.value)
      state.register(try loadTopic(db, name: name, record: record, bytes: sizes[record.number]))
      iterator.next()
    }
    try iterator.checkError()
    if let stored = try db.get(KeySchema.nextTopicNumberKey) {
      guard stored.count == 4 else { throw KeySchema.corrupted("next topic number") }
      state.nextTopicNumber = max(state.nextTopicNumber, stored.withUnsafeBytes { $0.bigEndian(at: 0) })
    }
    return state
  }

  /// A topic's head and first event from its events, its open time-index bucket from the head
  /// and the last closed bucket, its limits and trim from its retention record, and its size
  /// (`bytes`, or else counted from its events' payloads, which takes a read of the topic).
  private static func loadTopic(
    _ db: LevelDB, name: String, record catalogRecord: TopicRecord, bytes: UInt64?
  ) throws(GoetheError) -> TopicState {
    var record = catalogRecord
    let number = record.number
    var trimmedThrough = TopicState.Head.empty
    if let stored = try db.get(KeySchema.retentionKey(topic: number)) {
      let decoded = stored.withUnsafeBytes { bytes in
        Result { () throws(GoetheError) in try RetentionRecord(decoding: bytes) }
      }
      let retention = try decoded.get()
      record.retention = retention.limits
      trimmedThrough = retention.trimmedThrough
    }
    let iterator = try db.makeIterator()
    iterator.seek(KeySchema.eventKey(topic: number, id: 0))
    guard iterator.isValid, let first = KeySchema.decodeEventKey(iterator.key), first.topic == number else {
      try iterator.checkError()
      return TopicState(name: name, record: record, head: trimmedThrough, trimmedThrough: trimmedThrough)
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
    let closedSequence = max(try lastClosedBucket(db, topic: number)?.lastSequence ?? 0, trimmedThrough.sequence)
    guard closedSequence < head.sequence else { throw KeySchema.corrupted("time index of topic \(name)") }
    let open = TimeBucket(
      start: record.granularity.bucketStart(of: head.id), lastID: head.id, count: head.sequence - closedSequence,
      lastSequence: head.sequence)
    var counted = bytes ?? 0
    if bytes == nil { counted = try payloadBytes(db, topic: number) }
    return TopicState(
      name: name, record: record, head: head, firstID: first.id, openBucket: open, trimmedThrough: trimmedThrough,
      bytes: counted)
  }

  /// The payload bytes of the events of topic `number`.
  private static func payloadBytes(_ db: LevelDB, topic number: UInt32) throws(GoetheError) -> UInt64 {
    var bytes: UInt64 = 0
    let iterator = try db.makeIterator(bulk: true)
    iterator.seek(KeySchema.eventKey(topic: number, id: 0))
    while iterator.isValid, let key = KeySchema.decodeEventKey(iterator.key), key.topic == number {
      bytes += UInt64(max(iterator.value.count - 8, 0))
      iterator.next()
    }
    try iterator.checkError()
    return bytes
  }

  private static func lastClosedBucket(_ db: LevelDB, topic: UInt32) throws(GoetheError) -> TimeBucket? {
    let iterator = try db.makeIterator()
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

  /// An empty batch: a spare one if there is one.
  mutating func makeBatch() -> WriteBatch {
    spareBatches.popLast() ?? WriteBatch()
  }

  /// Keeps a written batch for reuse, unless enough are kept or it holds much memory; nobody may
  /// use `batch` afterwards.
  mutating func recycle(_ batch: WriteBatch) {
    guard spareBatches.count < 8, batch.byteCount <= 64 << 10 else { return }
    batch.clear()
    spareBatches.append(batch)
  }

  /// Records a durable append as committed, so that readers see it.
  mutating func apply(_ commit: TopicState.Commit?) {
    if let commit { commit.entry.state.apply(commit) }
  }

  func topic(_ name: String) throws(GoetheError) -> TopicState {
    guard let entry = topics[name] else { throw unknownTopic(name) }
    return entry.state
  }

  /// Why `name` names no topic: it breaks the naming rule, or nobody created it.
  func unknownTopic(_ name: String) -> GoetheError {
    do {
      try Names.validateTopic(name)
    } catch {
      return error
    }
    return GoetheError(.notFound, "topic \(name) does not exist; create it with: goethectl topic create \(name)")
  }

}
