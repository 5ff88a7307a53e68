import GoetheKit
import Logging
import ServiceLifecycle

/// Runs this node's part in the cluster: keeps it a member, campaigns for the leadership, and
/// follows who leads. Only a member of the in-sync set campaigns (no unclean election). When it
/// wins, it adopts the new epoch in its store (so its writes carry it) and starts distributing
/// its writes before it takes any; it steps down as soon as it learns of a higher epoch or
/// another leader, or its lease lapses by its own clock. On shutdown a leader resigns, so that
/// another node can take over without waiting for the lease to run out; so does a leader whose
/// store takes no more writes (a failed write, a full disk), which campaigns again only once its
/// store takes them.
struct LeaderElection: Service {
  let coordinator: any Coordinator
  let role: ClusterRole
  let store: any GoetheStore
  let replication: Replication
  let health: HealthService
  let logger: Logger

  /// How often a leader checks its lease by its own clock between changes of leadership.
  static let leaseCheckInterval = Duration.milliseconds(250)
  /// How long a node waits before it asks the coordinator again after a failure.
  static let retryDelay = Duration.seconds(1)

  func run() async throws {
    do {
      try await cancelWhenGracefulShutdown {
        try await withThrowingDiscardingTaskGroup { group in
          group.addTask { try await coordinator.run() }
          group.addTask { try await followTheLeader() }
          group.addTask { try await campaignAndLead() }
        }
      }
    } catch is CancellationError {}
    if case .leader = role.current {
      stepDown(because: "goethe is shutting down")
      try? await coordinator.resign()
    }
  }

  /// Keeps a follower's idea of the leader current, so that refused writes can name it; follows
  /// again after the coordinator fails.
  private func followTheLeader() async throws {
    while true {
      do {
        for try await leadership in coordinator.leadership() {
          replication.follower.noteEpoch(leadership.epoch)
          if case .follower = role.current { role.change(to: .follower(leader: leadership.leader)) }
          // Only news newer than this node's own leadership counts: a report of an older epoch
          // can still arrive after this node won.
          if case .leader(let epoch) = role.current, leadership.leader != nil,
            leadership.epoch > epoch || (leadership.epoch == epoch && leadership.leader != coordinator.member)
          {
            stepDown(because: "\(describe(leadership)) is known")
          }
        }
      } catch  where !(error is CancellationError) {
        logger.warning("cannot follow the leadership; trying again", metadata: ["error": "\(error)"])
      }
      try await Task.sleep(for: Self.retryDelay)
    }
  }

  /// Campaigns, leads while the leadership holds, and campaigns again; a coordinator that fails
  /// (etcd unreachable, say) is asked again, and meanwhile this node leads nothing.
  private func campaignAndLead() async throws {
    while !Task.isCancelled {
      let epoch: UInt64
      do {
        try await waitUntilAbleToLead()
        epoch = try await coordinator.campaign()
        // The in-sync set may have lost this node while it campaigned.
        guard try await replication.mayCampaign() else {
          logger.warning("won the election out of sync with the leader's writes: resigning")
          try await coordinator.resign()
          continue
        }
        try store.lead(epoch: epoch)
        try await replication.lead(epoch: epoch) { higher in
          if case .leader(epoch) = role.current { stepDown(because: "a follower knows epoch \(higher)") }
        }
      } catch  where !(error is CancellationError) {
        logger.warning("cannot campaign for the leadership; trying again", metadata: ["error": "\(error)"])
        replication.stopLeading("this node could not take up the leadership")
        try? await coordinator.resign()
        try await Task.sleep(for: Self.retryDelay)
        continue
      }
      role.change(to: .leader(epoch: epoch))
      health.markLeading(true)
      logger.notice("leading the cluster", metadata: ["epoch": "\(epoch)", "node": "\(coordinator.member.nodeID)"])
      while case .leader(epoch) = role.current, coordinator.holdsLeadership(epoch: epoch), store.writeRefusal == nil {
        try await Task.sleep(for: Self.leaseCheckInterval)
      }
      guard case .leader(epoch) = role.current else { continue }
      if let refusal = store.writeRefusal {
        stepDown(because: "its store takes no writes (\(refusal.message))")
        try? await coordinator.resign()
      } else {
        stepDown(because: "its lease lapsed")
      }
    }
  }

  /// Waits until this node's store takes writes, and the node is in the in-sync set (or the
  /// cluster has none yet).
  private func waitUntilAbleToLead() async throws {
    var logged: String?
    while true {
      let reason: String
      if let refusal = store.writeRefusal {
        reason = "not campaigning: this node's store takes no writes (\(refusal.message))"
      } else if try await !replication.mayCampaign() {
        reason = "not campaigning: this node is not in the in-sync set until it catches up with the leader"
      } else {
        return
      }
      if logged != reason {
        logger.info("\(reason)")
        logged = reason
      }
      try await Task.sleep(for: Self.retryDelay)
    }
  }

  private func stepDown(because reason: String) {
    replication.stopLeading("this node stepped down as leader: \(reason)")
    role.change(to: .follower(leader: nil))
    health.markLeading(false)
    logger.warning("stepped down as leader: \(reason)", metadata: ["node": "\(coordinator.member.nodeID)"])
  }

  private func describe(_ leadership: Leadership) -> String {
    "leader \(leadership.leader?.nodeID ?? "none") under epoch \(leadership.epoch)"
  }
}
