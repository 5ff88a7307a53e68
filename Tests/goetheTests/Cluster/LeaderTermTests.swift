import GRPCNIOTransportHTTP2Posix
import GoetheKit
import Testing

@testable import goethe

/// A new leader takes up the in-sync set in one compare-and-set with the check that it is still a
/// member: a real etcd, real stores.
@Suite(.timeLimit(.minutes(1)))
struct LeaderTermTests {
  private static func begin(
    epoch: UInt64, as coordinator: any Coordinator, store: any GoetheStore
  ) async throws
    -> LeaderTerm
  {
    try await LeaderTerm.begin(
      epoch: epoch, settings: ReplicationSettings(), store: store, coordinator: coordinator, members: 3,
      peerTLS: nil, logger: quietLogger, deposed: { _ in })
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
