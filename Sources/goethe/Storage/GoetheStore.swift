import GoetheKit

/// The store as the rest of the daemon uses it: topics, events, cursors, and the committed writes
/// that another node applies to follow this one. ``EventStore`` is the one implementation; nothing
/// outside `Storage/` names it except where the daemon opens it.
protocol GoetheStore: TopicCatalog, TopicRetention, EventLog, CursorStore, ConsumerStore, CommittedWriteLog {
  /// A random identity written when the store was created.
  var nodeID: String { get }
  /// When an append returns: after its batch is fsynced, or once written.
  var durability: Durability { get }
  /// The largest payload accepted, in bytes.
  var maxEventSize: Int { get }
  /// The store's wall clock in UNIX nanoseconds, which new event ids follow.
  func now() -> UInt64
  /// Compacts the whole key range, as LevelDB would over time.
  func compact() async throws
  /// Finishes queued commits, ends waits and releases the directory. Call it once, after the last
  /// read and write has returned.
  func close()
}

/// Committed writes as values (``CommittedWrite``): what a follower reads from its leader and applies.
protocol CommittedWriteLog: Sendable {
  /// The commit index of the last write planned, which may not be durable yet.
  var lastCommitIndex: UInt64 { get }
  /// The commit index of the last durable write: every write up to it is on the disk (written,
  /// under `--sync never`), and no failed write is counted. What a leader sends and waits for.
  var durableCommitIndex: UInt64 { get }
  /// The epoch new writes are committed under.
  var epoch: UInt64 { get }
  /// Why the store takes no write now (a write failed, or the disk is full), or nil if it takes
  /// them: a node whose store takes none cannot lead.
  var writeRefusal: GoetheError? { get }
  /// Takes up the leadership of `epoch`: it becomes the epoch of every write from now on, durably,
  /// and this node's own writes are taken under it; an older one is refused.
  func lead(epoch: UInt64) throws(GoetheError)
  /// Refuses this node's own writes from now on if it leads under `epoch` or an older one.
  func stopLocalWrites(through epoch: UInt64)
  /// The epoch of the write at the commit index `index` (0 for index 0), nil if there is none:
  /// what a leader and a follower compare, without reading the write's events.
  func epoch(ofWriteAt index: UInt64) throws(GoetheError) -> UInt64?
  /// Up to `limit` committed writes after the commit index `index`, in index order.
  func committedWrites(after index: UInt64, limit: Int) async throws -> [CommittedWrite]
  /// Applies writes committed elsewhere exactly as they were committed there, all or none; but a
  /// trim or a topic's deletion, which removes what the writes before it stored, is applied after
  /// them, so a failure can leave those in.
  func apply(_ writes: [CommittedWrite]) async throws
  /// Undoes every write after the commit index `index`: a follower's writes that its leader's
  /// log does not hold.
  func truncate(after index: UInt64) async throws
  /// Whether a write is being written, or waits to be: what a node that stopped leading waits
  /// out before it looks at what its log holds.
  var writesInProgress: Bool { get }
  /// The high watermark this node last kept (0 if none): the writes past it may still be undone.
  func keptHighWatermark() throws(GoetheError) -> UInt64
  /// Keeps the cluster's high watermark as this node knows it, for its next start, with the next
  /// write the store commits.
  func keep(highWatermark: UInt64)
  /// What the writes after the commit index `index` appended, topic by topic.
  func unconfirmedAppends(after index: UInt64) throws(GoetheError) -> [UnconfirmedAppends]
}

extension CommittedWriteLog {
  func apply(_ write: CommittedWrite) async throws { try await apply([write]) }

  func committedWrites(after index: UInt64) async throws -> [CommittedWrite] {
    try await committedWrites(after: index, limit: 1_000)
  }
}

extension CursorStore {
  func listCursors() async throws -> [CursorInfo] { try await listCursors(topic: nil) }
}
