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
    /// The applied writes past the high watermark that added events: their topic and last id.
    var hidden: [(index: UInt64, topic: String, lastID: UInt64)] = []
    /// For each topic with hidden events, the last event id readers may see.
    var visible: [String: UInt64] = [:]

    /// Shows the hidden writes the high watermark has passed.
    mutating func reveal() {
      while let first = hidden.first, first.index <= highWatermark {
        visible[first.topic] = first.lastID
        hidden.removeFirst()
      }
      let stillHidden = Set(hidden.map(\.topic))
      visible = visible.filter { stillHidden.contains($0.key) }
    }

    /// Hides what the store holds past the high watermark, and nothing else.
    mutating func hideOnly(_ appends: [UnconfirmedAppends]) {
      hidden = appends.map { ($0.lastIndex, $0.topic, $0.lastID) }
      visible = Dictionary(appends.map { ($0.topic, $0.visibleThrough) }, uniquingKeysWith: { first, _ in first })
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
    restored.hideOnly(try store.unconfirmedAppends(after: restored.highWatermark))
    state = Mutex(restored)
  }

  /// The highest leader epoch this node has seen.
  var highestEpoch: UInt64 { state.withLock { $0.fence } }

  /// The last event id of `topic` that readers may see: what every in-sync node holds.
  func visibleThrough(_ topic: String) -> UInt64 { state.withLock { $0.visible[topic] } ?? .max }

  /// Shows every event: this node leads, and its log is the cluster's.
  func revealAll() {
    state.withLock { state in
      state.hidden = []
      state.visible = [:]
    }
    revealed.publish()
  }

  /// Hides again what this node holds past `highWatermark`, the last it knew as the leader: it
  /// stepped down, and a leader after it may undo those writes.
  func hideUnconfirmed(after highWatermark: UInt64) {
    do throws(GoetheError) {
      let known = try state.withLock { state throws(GoetheError) -> UInt64 in
        state.highWatermark = max(state.highWatermark, highWatermark)
        state.hideOnly(try store.unconfirmedAppends(after: state.highWatermark))
        return state.highWatermark
      }
      store.keep(highWatermark: known)
    } catch {
      logger.error(
        "cannot read the commit log to hide the writes past the high watermark", metadata: ["error": "\(error)"])
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
      // The two logs agree up to the previous write. What follows it here is the leader's only if
      // this node holds the leader's write where the sent writes and its own log overlap (a write
      // is named by its index and epoch); with none sent, the leader's log ends there.
      if request.previousIndex < last {
        let overlap = min(last, request.writes.last?.index ?? request.previousIndex)
        let agrees: Bool
        if let sent = request.writes.first(where: { $0.index == overlap }) {
          agrees = try holds(index: overlap, epoch: sent.epoch)
        } else {
          agrees = false
        }
        if !agrees {
          logger.warning(
            "truncating the log to where it agrees with the leader's",
            metadata: ["after": "\(request.previousIndex)", "last": "\(last)", "leader": "\(request.leaderID)"])
          try await store.truncate(after: request.previousIndex)
          try state.withLock { state throws(GoetheError) in
            state.highWatermark = min(state.highWatermark, request.previousIndex)
            state.hideOnly(try store.unconfirmedAppends(after: state.highWatermark))
          }
        }
      }
      let held = store.durableCommitIndex
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
      let learned = state.withLock { state -> UInt64? in
        guard request.highWatermark > state.highWatermark else { return nil }
        state.highWatermark = request.highWatermark
        state.reveal()
        return request.highWatermark
      }
      if let learned {
        store.keep(highWatermark: learned)
        revealed.publish()
      }
      return response(.applied, "")
    }
  }

  /// Hides the events of an applied write until the high watermark passes it.
  private func hide(_ write: CommittedWrite) {
    guard case .append(let topic, let created, let firstID, _, let payloads, _) = write.change else { return }
    state.withLock { state in
      guard write.index > state.highWatermark else { return }
      if state.visible[topic] == nil { state.visible[topic] = created == nil ? firstID - 1 : 0 }
      state.hidden.append((write.index, topic, firstID + UInt64(payloads.count) - 1))
    }
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
