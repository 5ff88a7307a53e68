import Foundation
import GoetheKit

/// The store as a clustered node's services use it: each write is refused up front when too few
/// nodes are in sync, and returns only once every in-sync node holds it (``Replication``), so that
/// what a client sees acknowledged survives the loss of the leader. Reads of events on a follower
/// stop at the leader's high watermark, so that no reader sees an event a failover could undo.
struct ReplicatedStore: GoetheStore {
  let store: any GoetheStore
  let replication: Replication

  /// Runs `write` on the store if enough nodes are in sync, then waits until they all hold it.
  ///
  /// It waits for the store's last *durable* write, which the write returned after, and not for
  /// the last planned one: a write planned since may fail (a full disk), and no follower could
  /// ever hold it, so waiting for it would hold this one up and have the followers removed from
  /// the in-sync set for a fault of this node's.
  private func replicated<Result: Sendable>(_ write: () async throws -> Result) async throws -> Result {
    try replication.checkWritable()
    let result = try await write()
    try await replication.acknowledge(upTo: store.durableCommitIndex)
    return result
  }

  // MARK: Writes

  func createTopic(_ name: String, granularity: Granularity?, retention: RetentionChanges) async throws -> TopicInfo {
    try await replicated { try await store.createTopic(name, granularity: granularity, retention: retention) }
  }

  func setRetention(_ topic: String, _ changes: RetentionChanges) async throws -> TopicInfo {
    try await replicated { try await store.setRetention(topic, changes) }
  }

  func trim(_ topic: String, through last: EventRef) async throws {
    try await replicated { try await store.trim(topic, through: last) }
  }

  func deleteTopic(_ name: String) async throws {
    try await replicated { try await store.deleteTopic(name) }
  }

  nonisolated(nonsending) func append(
    _ payloads: [Data], to topic: String, expectedSequence: UInt64?, createTopic: Bool, producer: ProducerRun?
  ) async throws -> AppendResult {
    try await replicated {
      try await store.append(
        payloads, to: topic, expectedSequence: expectedSequence, createTopic: createTopic, producer: producer)
    }
  }

  /// A batch stored already is answered only once every in-sync node holds it too: the earlier
  /// send may still be on its way to them.
  func earlierAppend(_ stamp: ProducerStamp, to topic: String, count: Int) async throws -> AppendResult? {
    try replication.checkWritable()
    guard let earlier = try await store.earlierAppend(stamp, to: topic, count: count) else { return nil }
    try await replication.acknowledge(upTo: store.durableCommitIndex)
    return earlier
  }

  func setCursor(topic: String, consumer: String, to position: Position) async throws -> CursorInfo {
    try await replicated { try await store.setCursor(topic: topic, consumer: consumer, to: position) }
  }

  func commitCursor(topic: String, consumer: String, eventID: UInt64) async throws -> CursorInfo {
    try await replicated { try await store.commitCursor(topic: topic, consumer: consumer, eventID: eventID) }
  }

  func deleteCursor(topic: String, consumer: String) async throws {
    try await replicated { try await store.deleteCursor(topic: topic, consumer: consumer) }
  }

  func saveConsumer(topic: String, consumer: String, record: ConsumerRecord) async throws {
    try await replicated { try await store.saveConsumer(topic: topic, consumer: consumer, record: record) }
  }

  // MARK: Everything else, as the store does it

  var nodeID: String { store.nodeID }
  var durability: Durability { store.durability }
  var maxEventSize: Int { store.maxEventSize }
  func now() -> UInt64 { store.now() }
  func compact() async throws { try await store.compact() }
  func compact(topic: String) async throws { try await store.compact(topic: topic) }
  /// Only the node that may write decides what retention removes: it refuses everywhere else.
  func retentionCut(_ topic: String, now: UInt64, limit: Int) async throws -> EventRef? {
    try replication.checkWritable()
    return try await store.retentionCut(topic, now: now, limit: limit)
  }
  func purgeCut(_ topic: String, before position: Position, limit: Int) async throws -> EventRef? {
    try await store.purgeCut(topic, before: position, limit: limit)
  }
  func close() { store.close() }

  func listTopics() -> [TopicInfo] { store.listTopics().map(visiblePart) }
  func topicInfo(_ name: String) throws(GoetheError) -> TopicInfo { visiblePart(of: try store.topicInfo(name)) }
  func describeTopic(_ name: String) async throws -> TopicInfo { visiblePart(of: try await store.describeTopic(name)) }
  /// A topic's description with its last event the last that readers here may see.
  private func visiblePart(of info: TopicInfo) -> TopicInfo {
    var info = info
    let visible = replication.follower.visibleThrough(info.name)
    if let last = info.lastEventID, last > visible { info.lastEventID = visible }
    return info
  }
  func bucketCounts(_ topic: String, from: UInt64, to: UInt64) async throws -> [BucketCount] {
    try await store.bucketCounts(topic, from: from, to: to)
  }

  func resolveStart(_ position: Position, in topic: String) throws(GoetheError) -> ReadStart {
    try store.resolveStart(position, in: topic)
  }
  func resolveStart(afterConsumer consumer: String, in topic: String) throws(GoetheError) -> ReadStart {
    try store.resolveStart(afterConsumer: consumer, in: topic)
  }
  func resolveStart(lastEvents count: UInt64, in topic: String) async throws -> ReadStart {
    try await store.resolveStart(lastEvents: count, in: topic)
  }
  func read(
    _ start: ReadStart, from: UInt64, through: UInt64, limit: Int, maxBytes: Int
  ) throws(GoetheError)
    -> [StoredEvent]
  {
    try store.read(
      start, from: from, through: min(through, replication.follower.visibleThrough(start.topic)), limit: limit,
      maxBytes: maxBytes)
  }
  func scan(
    _ start: ReadStart, from: UInt64, through: UInt64, limit: Int,
    _ visit: (_ id: UInt64, _ sequence: UInt64, _ payload: UnsafeRawBufferPointer) throws(GoetheError) -> Bool
  ) throws(GoetheError) -> Int {
    try store.scan(
      start, from: from, through: min(through, replication.follower.visibleThrough(start.topic)), limit: limit, visit)
  }
  /// Returns once an event after `after` is stored and visible.
  func waitForEvents(_ start: ReadStart, after: UInt64) async throws {
    let follower = replication.follower
    while true {
      try await store.waitForEvents(start, after: after)
      let generation = follower.revealed.generation
      if follower.visibleThrough(start.topic) > after { return }
      await follower.revealed.wait(after: generation, timeout: .seconds(1))
      try Task.checkCancellation()
    }
  }
  func endWaits() { store.endWaits() }
  var waitsHaveEnded: Bool { store.waitsHaveEnded }
  func waitUntilWaitsEnd() async throws { try await store.waitUntilWaitsEnd() }

  func cursor(topic: String, consumer: String) throws(GoetheError) -> CursorInfo {
    try store.cursor(topic: topic, consumer: consumer)
  }
  func cursorTarget(topic: String, position: Position) throws(GoetheError) -> CursorRecord {
    try store.cursorTarget(topic: topic, position: position)
  }
  func existingCursor(topic: String, consumer: String) throws(GoetheError) -> CursorInfo? {
    try store.existingCursor(topic: topic, consumer: consumer)
  }
  func listCursors(topic: String?) async throws -> [CursorInfo] { try await store.listCursors(topic: topic) }
  func consumerRecord(topic: String, consumer: String) throws(GoetheError) -> ConsumerRecord? {
    try store.consumerRecord(topic: topic, consumer: consumer)
  }

  var lastCommitIndex: UInt64 { store.lastCommitIndex }
  var durableCommitIndex: UInt64 { store.durableCommitIndex }
  var writeRefusal: GoetheError? { store.writeRefusal }
  var epoch: UInt64 { store.epoch }
  func lead(epoch: UInt64) throws(GoetheError) { try store.lead(epoch: epoch) }
  func stopLocalWrites(through epoch: UInt64) { store.stopLocalWrites(through: epoch) }
  func epoch(ofWriteAt index: UInt64) throws(GoetheError) -> UInt64? { try store.epoch(ofWriteAt: index) }
  func committedWrites(after index: UInt64, limit: Int) async throws -> [CommittedWrite] {
    try await store.committedWrites(after: index, limit: limit)
  }
  func apply(_ writes: [CommittedWrite]) async throws { try await store.apply(writes) }
  func truncate(after index: UInt64) async throws { try await store.truncate(after: index) }
  var writesInProgress: Bool { store.writesInProgress }
  func keptHighWatermark() throws(GoetheError) -> UInt64 { try store.keptHighWatermark() }
  func keep(highWatermark: UInt64) { store.keep(highWatermark: highWatermark) }
  func unconfirmedAppends(after index: UInt64) throws(GoetheError) -> [UnconfirmedAppends] {
    try store.unconfirmedAppends(after: index)
  }
}
