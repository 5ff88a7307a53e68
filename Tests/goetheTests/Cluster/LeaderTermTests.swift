import GRPCNIOTransportHTTP2Posix
import GoetheKit
import Synchronization
import Testing

@testable import goethe

/// A leader's term and its in-sync set: a new leader takes the set up in one compare-and-set with
/// the check that it is still a member; a follower that joins the set counts for acknowledgements
/// before the coordinator has the change; a term whose upkeep of the set fails ends. A real etcd,
/// real stores.
@Suite(.timeLimit(.minutes(1)))
struct LeaderTermTests {
  private static func begin(
    epoch: UInt64, as coordinator: any Coordinator, store: any GoetheStore,
    settings: ReplicationSettings = ReplicationSettings(), deposed: @escaping @Sendable (UInt64) -> Void = { _ in }
  ) async throws
    -> LeaderTerm
  {
    try await LeaderTerm.begin(
      epoch: epoch, settings: settings, store: store, coordinator: coordinator, members: 3,
      peerTLS: nil, logger: quietLogger, deposed: deposed)
  }

  /// Settings under which one node in sync, the leader, is enough to acknowledge a write.
  private static var aloneEnough: ReplicationSettings {
    var settings = ReplicationSettings()
    settings.minInSync = 1
    return settings
  }

  /// Once the coordinator lists a follower in the in-sync set it may win an election, so from the
  /// moment the leader adds it, no write is acknowledged without it, even while the change is on
  /// its way to the coordinator.
  @Test func aJoiningFollowerCountsForAcknowledgementsBeforeTheCoordinatorHasIt() async throws {
    try await CoordinatorBackend.etcd.withNodes(1) { nodes in
      try await withStore { store in
        let gated = GatedCoordinator(nodes[0])
        let term = try await Self.begin(epoch: 1, as: gated, store: store, settings: Self.aloneEnough)
        gated.close()
        let joining = Task { try await term.noteCaughtUp("n2", store: "store-of-n2") }
        try await eventually("the change is on its way to the coordinator") { gated.held == 1 }

        let heldByTheFollower = Atomic(false)
        let acknowledged = Task {
          try await term.acknowledge(upTo: 1)
          return heldByTheFollower.load(ordering: .acquiring)
        }
        try? await Task.sleep(for: .milliseconds(500))  // a deadline for a wrong acknowledgement, not a synchronisation
        heldByTheFollower.store(true, ordering: .releasing)
        term.noteHeld(1, by: "n2")
        #expect(try await acknowledged.value, "a write was acknowledged without the joining follower")

        gated.open()
        try await joining.value
        #expect(term.inSync.members.contains("n2"))
      }
    }
  }

  /// The coordinator applied the addition of a follower, but its answer was lost: the coordinator
  /// may list the follower now, which may then lead, so the writes waiting for it are not
  /// acknowledged without it, and the term ends (its leader steps down).
  @Test func aChangeOfTheSetWhoseAnswerIsLostEndsTheTerm() async throws {
    try await CoordinatorBackend.etcd.withNodes(1) { nodes in
      try await withStore { store in
        let gated = GatedCoordinator(nodes[0])
        let deposed = Atomic(false)
        let term = try await Self.begin(epoch: 1, as: gated, store: store, settings: Self.aloneEnough) { _ in
          deposed.store(true, ordering: .releasing)
        }
        gated.close()
        let joining = Task { try await term.noteCaughtUp("n2", store: "store-of-n2") }
        try await eventually("the change is on its way to the coordinator") { gated.held == 1 }
        let waiting = Task { try await term.acknowledge(upTo: 1) }
        try await eventually("the write waits for the joining follower") { term.waitingWrites == 1 }

        gated.loseNextAnswer()
        gated.open()
        await #expect(throws: GatedCoordinator.AnswerLost.self) { try await joining.value }
        let set = try #require(try await nodes[0].inSyncSet()?.set)
        #expect(set.members == ["n1", "n2"], "the coordinator has the change")
        await expectError(.unavailable, mentioning: ["stopped leading"]) { try await waiting.value }
        let steppedDown = deposed.load(ordering: .acquiring)
        #expect(steppedDown, "the leader did not step down")
        await expectError(.unavailable) { try await term.acknowledge(upTo: 1) }
      }
    }
  }

  /// A write taken while enough nodes were in sync is not acknowledged once the set has shrunk
  /// below `--min-insync`, though every node left in the set holds it.
  @Test func aWriteIsNotAcknowledgedOnceTheSetShrankBelowTheMinimum() async throws {
    try await CoordinatorBackend.etcd.withNodes(1) { nodes in
      try await withStore { store in
        var settings = ReplicationSettings()
        settings.minInSync = 2
        settings.replicaTimeout = .milliseconds(200)
        settings.checkInterval = .milliseconds(50)
        let term = try await Self.begin(epoch: 1, as: nodes[0], store: store, settings: settings)
        try await term.noteCaughtUp("n2", store: "store-of-n2")
        term.noteHeld(0, by: "n2")
        try term.checkEnoughInSync()
        let running = Task { try await term.run() }
        defer { running.cancel() }
        // n2 answers no more: after the replica timeout the term removes it.
        try await eventually("the silent follower is removed") { term.inSync.members == ["n1"] }
        await expectError(.unavailable, mentioning: ["not enough in-sync replicas", "not acknowledged"]) {
          try await term.acknowledge(upTo: 1)
        }
      }
    }
  }

  /// The high watermark, up to which followers show events, counts a joining follower: once the
  /// coordinator lists it, it may lead, and undo a write it lacks.
  @Test func theHighWatermarkWaitsForAJoiningFollower() async throws {
    try await CoordinatorBackend.etcd.withNodes(1) { nodes in
      try await withStore { store in
        _ = try await store.append(payloads("a"), to: "t", createTopic: true)
        _ = try await store.append(payloads("b"), to: "t")
        let gated = GatedCoordinator(nodes[0])
        let term = try await Self.begin(epoch: 1, as: gated, store: store, settings: Self.aloneEnough)
        #expect(term.highWatermark == 2)
        gated.close()
        let joining = Task { try await term.noteCaughtUp("n2", store: "store-of-n2") }
        try await eventually("the change is on its way to the coordinator") { gated.held == 1 }
        term.noteHeld(1, by: "n2")
        #expect(term.highWatermark == 1, "the high watermark passed a write the joining follower lacks")
        gated.open()
        try await joining.value
        term.noteHeld(2, by: "n2")
        #expect(term.highWatermark == 2)
      }
    }
  }

  /// The coordinator refuses the term's removal of a late follower (another leader has taken the
  /// set over): the term ends with the refusal, and does not go on without its upkeep.
  @Test func aTermEndsWhenTheCoordinatorRefusesAChangeOfItsSet() async throws {
    try await CoordinatorBackend.etcd.withNodes(1) { nodes in
      try await withStore { store in
        var settings = ReplicationSettings()
        settings.replicaTimeout = .milliseconds(200)
        settings.checkInterval = .milliseconds(50)
        let term = try await Self.begin(epoch: 1, as: nodes[0], store: store, settings: settings)
        try await term.noteCaughtUp("n2", store: "store-of-n2")
        try await nodes[0].updateInSyncSet(asLeaderOf: 2) { $0! }

        let running = Task { try await term.run() }
        // n2 never holds it: after the replica timeout the term removes n2, which the coordinator refuses.
        let waiting = Task { try await term.acknowledge(upTo: 1) }
        let ended = await withTaskGroup(of: Bool.self) { group in
          group.addTask {
            _ = await running.result
            return true
          }
          group.addTask {
            try? await Task.sleep(for: .seconds(10))  // a deadline, not a synchronisation
            return false
          }
          let first = await group.next() ?? false
          group.cancelAll()
          running.cancel()
          return first
        }
        #expect(ended, "the term went on without its upkeep")
        await #expect(throws: InSyncSetTakenOver.self) { try await running.value }
        await #expect(throws: GoetheError.self) { try await waiting.value }
      }
    }
  }

  /// The previous leader removed the node after it campaigned, and may have acknowledged writes
  /// the node lacks since: it must not lead.
  @Test func aNodeRemovedFromTheInSyncSetCannotTakeUpTheLeadership() async throws {
    try await Self.withTwoInSync { nodes, second in
      try await nodes[0].updateInSyncSet(asLeaderOf: 1) { $0!.removing("n2") }

      await expectError(.unavailable, mentioning: ["left the in-sync set"]) {
        _ = try await Self.begin(epoch: 2, as: nodes[1], store: second)
      }
      let set = try #require(try await nodes[0].inSyncSet()?.set)
      #expect(set.members == ["n1"] && set.epoch == 1, "the set is the previous leader's still")
    }
  }

  /// A node that may not lead after all stays a follower, and the events it holds past the high
  /// watermark stay hidden: a leader may still undo them.
  @Test func aNodeThatMayNotLeadKeepsTheEventsPastTheHighWatermarkHidden() async throws {
    try await Self.withTwoInSync { nodes, second in
      try await nodes[0].updateInSyncSet(asLeaderOf: 1) { $0!.removing("n2") }
      try await withStore { leader in
        _ = try await leader.append(payloads("a"), to: "t", createTopic: true)
        let replication = try Replication(
          settings: ReplicationSettings(), store: second, coordinator: nodes[1], logger: quietLogger)
        _ = try await replication.follower.replicate(
          FollowerReplicaTests.request(epoch: 1, after: 0, of: leader, highWatermark: 0))
        #expect(replication.follower.visibleThrough("t") == 0)
        let served = ReplicatedStore(store: second, replication: replication)
        #expect(try served.topicInfo("t").lastEventID == 0)
        #expect(served.listTopics().map(\.lastEventID) == [0], "the topic list showed a hidden event")
        #expect(try await served.describeTopic("t").lastEventID == 0, "the description showed a hidden event")

        await expectError(.unavailable, mentioning: ["left the in-sync set"]) {
          try await replication.lead(epoch: 2) { _ in }
        }
        #expect(replication.follower.visibleThrough("t") == 0, "an event a leader may undo was shown")
      }
    }
  }

  /// A leader has its store keep the high watermark as it moves, once a heartbeat, with the next
  /// write: what the node shows of its log after a restart.
  @Test func theLeaderKeepsTheHighWatermarkAsItMoves() async throws {
    try await CoordinatorBackend.etcd.withNodes(1) { nodes in
      try await withStore { store in
        try store.lead(epoch: 1)
        var settings = Self.aloneEnough
        settings.heartbeat = .milliseconds(10)
        let term = try await Self.begin(epoch: 1, as: nodes[0], store: store, settings: settings)
        let running = Task { try await term.run() }
        defer { running.cancel() }
        _ = try await store.append(payloads("a"), to: "t", createTopic: true)
        try await eventually("a write keeps the high watermark") {
          _ = try await store.append(payloads("b"), to: "t")
          return try store.keptHighWatermark() >= 1
        }
      }
    }
  }

  /// A leader that steps down hides what it wrote past the high watermark: the next leader may
  /// undo it.
  @Test func aLeaderThatStepsDownHidesTheEventsPastTheHighWatermark() async throws {
    try await Self.withTwoInSync { nodes, second in
      let replication = try Replication(
        settings: ReplicationSettings(), store: second, coordinator: nodes[1], logger: quietLogger)
      try second.lead(epoch: 2)
      try await replication.lead(epoch: 2) { _ in }
      // n1, in sync, never answers: the high watermark stays at 0.
      _ = try await second.append(payloads("a"), to: "t", createTopic: true)
      #expect(replication.follower.visibleThrough("t") == .max, "the leader reads everything it holds")
      replication.stopLeading("stepping down")
      try await eventually("the event a leader may undo is hidden") { replication.follower.visibleThrough("t") == 0 }
    }
  }

  /// A member that takes up the set stamps it with its epoch, so the previous leader can no longer
  /// change it: its next removal deposes it instead.
  @Test func aMemberTakesUpTheSetAndThePreviousLeaderCanNoLongerChangeIt() async throws {
    try await Self.withTwoInSync { nodes, second in
      let term = try await Self.begin(epoch: 2, as: nodes[1], store: second)
      #expect(term.inSync.members == ["n1", "n2"] && term.inSync.epoch == 2)
      await #expect(throws: InSyncSetTakenOver.self) {
        try await nodes[0].updateInSyncSet(asLeaderOf: 1) { $0!.removing("n2") }
      }
    }
  }

  /// Runs `body` with two nodes of a real etcd, both in the in-sync set that n1 started as the
  /// leader of epoch 1, and n2's store.
  private static func withTwoInSync(
    _ body: @Sendable (ClusterNodes, _ second: any GoetheStore) async throws -> Void
  ) async throws {
    try await CoordinatorBackend.etcd.withNodes(2) { nodes in
      try await withStore { first in
        try await withStore { second in
          _ = try await begin(epoch: 1, as: nodes[0], store: first)
          try await nodes[0].updateInSyncSet(asLeaderOf: 1) { $0!.adding("n2", store: second.nodeID) }
          try await body(nodes, second)
        }
      }
    }
  }

  @Test func theClustersFirstLeaderStartsTheSetWithItself() async throws {
    try await CoordinatorBackend.etcd.withNodes(1) { nodes in
      try await withStore { store in
        let term = try await Self.begin(epoch: 1, as: nodes[0], store: store)
        #expect(term.inSync == InSyncSet(members: ["n1"], stores: ["n1": store.nodeID], clusterSize: 3, epoch: 1))
      }
    }
  }
}
