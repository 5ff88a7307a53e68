import GoetheKit
import Synchronization

/// Which of its own writes a store takes, as against the writes it applies for a leader
/// (``CommittedWriteLog/apply(_:)``).
///
/// A clustered node may write only as the leader of the store's current epoch, and the store
/// itself checks that as it plans each write, under the same lock that orders the writes. The
/// node's check that it leads, before the write, is not enough on its own: a write that passed it
/// can reach the store after the node followed a newer leader, whose writes it applied or whose
/// log it truncated to. Committed then, under the epoch the store had taken from that leader, it
/// would carry an index and an epoch that name another write of the leader's, and the follower
/// would never find that its log had diverged.
enum LocalWrites: Sendable, Equatable {
  /// Every write: a store on its own, outside a cluster.
  case open
  /// The writes of this node's leadership of `epoch`.
  case leading(epoch: UInt64)
  /// None: a clustered node that does not lead, or has stopped leading.
  case closed
}

extension EventStore {
  /// Takes up the leadership of `epoch`: makes it the epoch of every write from now on, durably,
  /// and takes this node's own writes under it until ``stopLocalWrites(through:)``. An epoch
  /// below the current one is refused, so a deposed leader's epoch cannot come back; so is any
  /// while a truncation runs, which puts an older epoch back (``truncate(after:)``).
  func lead(epoch: UInt64) throws(GoetheError) {
    // A failed write of the epoch stops the store's writes (``writeFailed(_:)``), reported once
    // the lock is let go.
    var failed: (error: GoetheError, isFirst: Bool)?
    defer { if let failed { reportFailedWrite(failed.error, isFirst: failed.isFirst) } }
    try state.withLock { state throws(GoetheError) in
      try state.checkWritable()
      guard !state.truncating else {
        throw GoetheError(
          .unavailable, "this node is undoing writes its leader's log does not hold; it cannot lead until that is done")
      }
      guard epoch >= state.epoch else {
        throw GoetheError(.conflict, "epoch \(epoch) is older than this node's epoch \(state.epoch)")
      }
      if epoch > state.epoch {
        var value: [UInt8] = []
        value.appendBigEndian(epoch)
        let batch = WriteBatch()
        batch.put(KeySchema.epochKey, value)
        do throws(GoetheError) {
          try db.write(batch, sync: true)
        } catch {
          failed = (error, state.stopWrites(after: error))
          throw error
        }
        state.epoch = epoch
      }
      state.localWrites = .leading(epoch: epoch)
    }
  }

  /// Refuses this node's own writes from now on if it leads under `epoch` or an older one (or
  /// takes every write, outside a cluster): it stepped down, or follows a leader of `epoch`.
  /// Writes planned before it returns are ordered before whatever the store does next.
  func stopLocalWrites(through epoch: UInt64) {
    state.withLock { state in
      switch state.localWrites {
      case .open: state.localWrites = .closed
      case .leading(let leading) where leading <= epoch: state.localWrites = .closed
      case .leading, .closed: break
      }
    }
  }
}

extension EventStore.State {
  /// Refuses a write of this node's own unless it leads under the store's epoch.
  func checkLocalWrite() throws(GoetheError) {
    switch localWrites {
    case .open: return
    case .leading(let leading) where leading == epoch: return
    case .leading, .closed:
      throw GoetheError.notLeader("this node does not lead at the moment; retry shortly", leader: nil)
    }
  }
}
