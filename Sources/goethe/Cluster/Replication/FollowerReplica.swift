import GoetheKit
import Logging
import SwiftProtobuf
import Synchronization

/// A follower's side of replication: it applies the leader's committed writes in index order, as
/// they were committed, and refuses what would break the log.
///
/// - A leader whose epoch is below the highest this node has seen is deposed: refused (fencing).
/// - Reads on a follower serve only what every in-sync node holds: events of writes past the
///   leader's high watermark stay hidden (``visibleThrough(_:)``) until it passes them. The node
///   keeps the high watermark in its store, so that after a restart it hides what lies past the
///   last one it knew until a leader speaks; a leader that steps down hides again what lies past
///   its own.
/// - Writes must follow on from this node's log: the leader names the index and epoch of the write
///   before them, which this node must hold too. A write's (index, epoch) names it: one leader per
///   epoch, which gives each index once. If this node holds less, it says how much; if it holds
///   another write there, its log has diverged from the leader's at or before that index, and it
///   truncates to where the two agree, which the leader finds by probing further back.
final class FollowerReplica: Sendable {
  private let store: any GoetheStore
  private let logger: Logger
  private let turns = AsyncTurns()
  private let state: Mutex<State>
  /// Told of a request from a leader of a higher epoch than any seen before.
  private let newerLeader: @Sendable (UInt64) -> Void

  private struct State {
    /// The highest leader epoch seen: in requests, or by following the election.
    var fence: UInt64
    /// The index that every in-sync node holds, as the leader last said.
    var highWatermark: UInt64 = 0
    var hidden = HiddenWrites()
    /// Whether this node leads, and shows everything it holds.
    var showsAll = false
    /// Counts this node's starts and ends of leading: a rebuild of the hidden writes begun under
    /// one count is dropped under another.
    var generation: UInt64 = 0
    /// Whether the hidden writes wait for a rebuild from the commit log, which could not be read:
    /// the leader's next request tries again.
    var needsRebuild = false

    /// Hides every event of `topics` and of any other topic, until a rebuild.
    mutating func hideEverything(_ topics: some Sequence<String>) {
      hidden.hideOnly([])
      hidden.holdAll(through: .max, heads: Dictionary(topics.map { ($0, 0) }) { first, _ in first })
      needsRebuild = true
    }
  }

  /// Wakes the readers waiting for hidden events to show.
  let revealed = CommitSignal()

  /// Throws if the store's commit log cannot be read.
  init(
    store: any GoetheStore, logger: Logger, newerLeader: @escaping @Sendable (UInt64) -> Void
  ) throws(GoetheError) {
    self.store = store
    self.logger = logger
    self.newerLeader = newerLeader
    var restored = State(fence: store.epoch)
    restored.highWatermark = try store.keptHighWatermark()
    if restored.highWatermark > 0 {
      restored.hidden.hideOnly(try store.unconfirmedAppends(after: restored.highWatermark))
    } else if store.lastCommitIndex > 0 {
      // Nothing kept (a store from before the high watermark was kept): every event is hidden,
      // without reading the whole commit log.
      restored.hidden.holdAll(
        through: store.lastCommitIndex, heads: Dictionary(store.listTopics().map { ($0.name, 0) }) { first, _ in first }
      )
    }
    state = Mutex(restored)
  }

  /// The highest leader epoch this node has seen.
  var highestEpoch: UInt64 { state.withLock { $0.fence } }

  /// The last event id of `topic` that readers may see: what every in-sync node holds.
  func visibleThrough(_ topic: String) -> UInt64 {
    state.withLock { $0.hidden.visibleThrough(topic, highWatermark: $0.highWatermark) }
  }

  /// Shows every event: this node leads, and its log is the cluster's.
  func revealAll() {
    state.withLock { state in
      state.hidden.showAll()
      state.showsAll = true
      state.needsRebuild = false
      state.generation += 1
    }
    revealed.publish()
  }

  /// This node stopped leading, and the store takes no more writes of its own: from now on its
  /// readers see nothing past `highWatermark`, the last it knew as the leader, for a leader after
  /// it may undo those writes. What its writes still in flight add is held back too (every topic
  /// at its head, and any topic they create) until they have landed and ``hideUnconfirmed()``
  /// has looked again.
  func stepDown(after highWatermark: UInt64) {
    // The heads are taken before the commit log is read: what lands after them is held back.
    let heads = Dictionary(store.listTopics().map { ($0.name, $0.lastEventID ?? 0) }) { first, _ in first }
    let (known, generation) = state.withLock { state in
      state.showsAll = false
      state.generation += 1
      state.highWatermark = max(state.highWatermark, highWatermark)
      return (state.highWatermark, state.generation)
    }
    let appends = try? store.unconfirmedAppends(after: known)
    state.withLock { state in
      guard state.generation == generation else { return }
      if let appends {
        state.needsRebuild = false
        state.hidden.hideOnly(appends)
        state.hidden.holdAll(through: .max, heads: heads)
      } else {
        state.hideEverything(heads.keys)
      }
    }
    store.keep(highWatermark: known)
    Task { await self.hideUnconfirmed() }
  }

  /// Hides exactly what this node holds past the high watermark, once its own writes have
  /// landed: in turn with the leader's requests, so that none is applied meanwhile.
  func hideUnconfirmed() async {
    let generation = state.withLock { $0.generation }
    try? await turns.run {
      while store.writesInProgress, state.withLock({ $0.generation }) == generation {
        try await Task.sleep(for: .milliseconds(1))
      }
      rebuild(ifStill: generation)
    }
  }

  /// Hides exactly what the store holds past the high watermark, unless this node started or
  /// stopped leading since `generation`. If the commit log cannot be read, every event is hidden
  /// until it can.
  private func rebuild(ifStill generation: UInt64) {
    guard let known = state.withLock({ $0.generation == generation && !$0.showsAll ? $0.highWatermark : nil })
    else { return }
    do throws(GoetheError) {
      let appends = try store.unconfirmedAppends(after: known)
      state.withLock { state in
        guard state.generation == generation, !state.showsAll else { return }
        state.hidden.hideOnly(appends)
        state.needsRebuild = false
      }
      revealed.publish()
    } catch {
      logger.error(
        "cannot read the commit log past the high watermark: every event stays hidden until it can",
        metadata: ["error": "\(error)"])
      let topics = store.listTopics().map(\.name)
      state.withLock { state in
        guard state.generation == generation, !state.showsAll else { return }
        state.hideEverything(topics)
      }
    }
  }

  /// Learns of a leader's epoch from the election, so that an older leader is refused even before
  /// the new one has sent anything.
  func noteEpoch(_ epoch: UInt64) {
    state.withLock { $0.fence = max($0.fence, epoch) }
  }

  /// Checks and applies one request of the leader; requests are taken one at a time.
  func replicate(
    _ request: Io_Typusomega_Goethe_Replication_ReplicateRequest
  ) async throws
    -> Io_Typusomega_Goethe_Replication_ReplicateResponse
  {
    try await turns.run {
      let (fence, newer) = state.withLock { state in
        defer { state.fence = max(state.fence, request.epoch) }
        return (max(state.fence, request.epoch), request.epoch > state.fence)
      }
      if newer { newerLeader(request.epoch) }
      guard request.epoch >= fence else {
        return response(
          .staleEpoch, "leader \(request.leaderID) has epoch \(request.epoch); this node has seen \(fence)")
      }
      // From here on this node follows the leader of `request.epoch`: a write of its own that
      // passed its check of leading before it was deposed is refused by the store.
      store.stopLocalWrites(through: request.epoch)
      let last = store.durableCommitIndex
      guard request.previousIndex <= last else {
        return response(.behind, "this node holds up to \(last), not \(request.previousIndex)")
      }
      guard try holds(index: request.previousIndex, epoch: request.previousEpoch) else {
        return response(
          .diverged, "this node's write \(request.previousIndex) is not the leader's (epoch \(request.previousEpoch))")
      }
      // What this node holds of the leader's log: read once, so that a write of its own that
      // lands meanwhile (it was on its way when this node stepped down) is not taken for one.
      var held = last
      // The two logs agree up to the previous write. What follows it here is the leader's as far
      // as this node holds the sent writes themselves (a write is named by its index and epoch);
      // with none sent, the leader's log ends there. Only what follows the last write the two
      // share is undone: a leader that probed too far back has this node undo nothing they share
      // (which it could not, were that a trim or a change of retention).
      if request.previousIndex < last,
        let agreedThrough = try lastShared(after: request.previousIndex, of: request.writes, through: last)
      {
        logger.warning(
          "truncating the log to where it agrees with the leader's",
          metadata: ["after": "\(agreedThrough)", "last": "\(last)", "leader": "\(request.leaderID)"])
        try await store.truncate(after: agreedThrough)
        held = agreedThrough
        let generation = state.withLock { state in
          state.highWatermark = min(state.highWatermark, agreedThrough)
          return state.generation
        }
        rebuild(ifStill: generation)
      }
      // The leader's high watermark counts for this node only up to what it has checked this
      // node holds of the leader's log: the sent writes, or the previous one. It is kept with the
      // writes below.
      let confirmed = min(request.highWatermark, request.writes.last?.index ?? request.previousIndex)
      store.keep(highWatermark: state.withLock { max($0.highWatermark, confirmed) })
      let writes = try request.writes.filter { $0.index > held }.map { message throws(GoetheError) in
        try CommittedWrite(message)
      }
      do {
        try await store.apply(writes)
      } catch {
        // A trim or deletion is applied after the writes before it: those may be in.
        let applied = store.durableCommitIndex
        for write in writes where write.index <= applied { hide(write) }
        throw error
      }
      for write in writes { hide(write) }
      // A rebuild that waits is tried again once this node's own writes have landed.
      let settled = !store.writesInProgress
      let (learned, rebuilding) = state.withLock { state -> (Bool, UInt64?) in
        let rebuilding = state.needsRebuild && settled ? state.generation : nil
        guard confirmed > state.highWatermark else { return (false, rebuilding) }
        state.highWatermark = confirmed
        state.hidden.reveal(through: state.highWatermark)
        return (true, rebuilding)
      }
      if learned { revealed.publish() }
      if let rebuilding { rebuild(ifStill: rebuilding) }
      return response(.applied, "")
    }
  }

  /// Hides the events of an applied write until the high watermark passes it.
  private func hide(_ write: CommittedWrite) {
    state.withLock { state in
      guard !state.showsAll, write.index > state.highWatermark else { return }
      state.hidden.hide(write)
    }
  }

  /// The index after which this node's log, which holds up to `last` and shares the write at
  /// `previous` with the leader's, must be undone to follow `sent` (the leader's writes after
  /// `previous`); nil if it need not be.
  ///
  /// Two logs that share a write share every write before it, so the sent writes this node holds
  /// as well are the first ones: a binary search finds where the two part. If they part nowhere
  /// among the sent writes, nothing is undone now; the next request, after them, tells more.
  private func lastShared(
    after previous: UInt64, of sent: [Io_Typusomega_Goethe_Replication_CommittedWrite], through last: UInt64
  ) throws(GoetheError) -> UInt64? {
    guard !sent.isEmpty else { return previous }
    let overlap = sent.prefix { $0.index <= last }
    var (shared, parted) = (0, overlap.count)
    while shared < parted {
      let middle = (shared + parted) / 2
      if try holds(index: overlap[middle].index, epoch: overlap[middle].epoch) {
        shared = middle + 1
      } else {
        parted = middle
      }
    }
    guard shared < overlap.count else { return nil }
    return shared == 0 ? previous : overlap[shared - 1].index
  }

  /// Whether this node's write at `index` has `epoch` (index 0, before the first write, always
  /// matches).
  private func holds(index: UInt64, epoch: UInt64) throws(GoetheError) -> Bool {
    try store.epoch(ofWriteAt: index) == epoch
  }

  private func response(
    _ outcome: Io_Typusomega_Goethe_Replication_ReplicateResponse.Outcome, _ message: String
  ) -> Io_Typusomega_Goethe_Replication_ReplicateResponse {
    .with {
      $0.outcome = outcome
      $0.lastIndex = store.durableCommitIndex
      $0.epoch = state.withLock { $0.fence }
      $0.message = message
      $0.storeID = store.nodeID
    }
  }
}
