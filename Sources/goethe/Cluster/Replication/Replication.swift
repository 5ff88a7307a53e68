import GoetheKit
import Logging
import Synchronization

/// This node's part in replication: while it leads, a ``LeaderTerm`` that distributes its writes
/// and decides when they are acknowledged; always, a ``FollowerReplica`` that applies a leader's.
final class Replication: Sendable {
  let settings: ReplicationSettings
  let store: any GoetheStore
  let coordinator: any Coordinator
  let follower: FollowerReplica
  private let logger: Logger
  private let current = CurrentTerm()

  /// The term while this node leads, and the task that runs it.
  private final class CurrentTerm: Sendable {
    let slot = Mutex<(term: LeaderTerm, task: Task<Void, Never>)?>(nil)
    var term: LeaderTerm? { slot.withLock { $0?.term } }
  }

  /// How links to the followers are secured.
  let peerTLS: PeerLinks.Security

  /// Throws if the store's commit log cannot be read.
  init(
    settings: ReplicationSettings, store: any GoetheStore, coordinator: any Coordinator,
    peerTLS: PeerLinks.Security = nil, logger: Logger
  ) throws(GoetheError) {
    self.settings = settings
    self.peerTLS = peerTLS
    self.store = store
    self.coordinator = coordinator
    self.logger = logger
    // A leader of a higher epoch is sending writes: if this node still leads, it is deposed.
    follower = try FollowerReplica(store: store, logger: logger) { [current] epoch in
      current.term?.noteDeposed(by: epoch)
    }
    // A clustered node writes only while it leads.
    store.stopLocalWrites(through: store.epoch)
  }

  /// Whether this node may campaign: only a member of the in-sync set (or any node before the
  /// cluster's first leader) holds every acknowledged write, and only with the store it was in
  /// sync with.
  func mayCampaign() async throws -> Bool {
    guard let (set, _) = try await coordinator.inSyncSet() else { return true }
    return set.contains(coordinator.member.nodeID, store: store.nodeID)
  }

  /// Starts distributing this node's writes as the leader of `epoch`; `deposed` is called if a
  /// follower knows a higher epoch.
  func lead(epoch: UInt64, deposed: @escaping @Sendable (UInt64) -> Void) async throws {
    follower.noteEpoch(epoch)
    let term = try await LeaderTerm.begin(
      epoch: epoch, settings: settings, store: store, coordinator: coordinator, members: 0, peerTLS: peerTLS,
      logger: logger, deposed: deposed)
    // Only now is this node's log the cluster's: a node that may not lead stays a follower, whose
    // writes past the high watermark a leader may still undo.
    follower.revealAll()
    let logger = logger
    let task = Task {
      do {
        try await term.run()
      } catch  where !(error is CancellationError) {
        logger.warning("the leader's replication stopped", metadata: ["error": "\(error)"])
        term.noteDeposed(by: epoch)
      } catch {}
    }
    let previous = current.slot.withLock { current in
      defer { current = (term, task) }
      return current
    }
    previous?.task.cancel()
  }

  /// Stops distributing writes: what this node holds past the high watermark is hidden from its
  /// readers again, the writes still waiting are refused with `reason`, and the store takes none
  /// of this node's own from now on.
  func stopLeading(_ reason: String) {
    guard
      let ending = current.slot.withLock({ current in
        defer { current = nil }; return current
      })
    else {
      // The store may have taken up an epoch whose term never began.
      store.stopLocalWrites(through: store.epoch)
      return
    }
    let highWatermark = ending.term.highWatermark
    ending.term.end(GoetheError(.unavailable, "\(reason); the write is stored on this node but not acknowledged"))
    follower.stepDown(after: highWatermark)
    ending.task.cancel()
  }

  /// Refuses a write before it is made when too few nodes are in sync, or this node does not lead.
  func checkWritable() throws(GoetheError) {
    guard let term = current.term else {
      throw GoetheError.notLeader("this node does not lead at the moment; retry shortly", leader: nil)
    }
    try term.checkEnoughInSync()
  }

  /// Returns once every in-sync node holds the writes up to `index`.
  func acknowledge(upTo index: UInt64) async throws {
    guard let term = current.term else {
      throw GoetheError(
        .unavailable, "this node no longer leads; the write is stored on this node but not acknowledged")
    }
    try await term.acknowledge(upTo: index)
  }
}
