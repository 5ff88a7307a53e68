import GRPCCore
import GoetheKit
import SwiftProtobuf
import Testing

@testable import goethe

/// The Cluster service of a single node: its status, and the exchange peers use.
@Suite(.timeLimit(.minutes(1)))
struct RPCClusterTests {
  @Test func aSingleNodeIsItsClustersLeader() async throws {
    try await withRPCServer { server in
      let status = try await server.withClient { try await $0.clusterStatus() }
      #expect(status.cluster == "goethe")
      #expect(status.leader == server.store.nodeID)
      #expect(status.nodes.map(\.state.nodeID) == [server.store.nodeID])
      #expect(status.nodes.first?.health == .alive)
      #expect(status.nodes.first?.state.role == .leader)
      #expect((status.nodes.first?.state.heartbeat ?? 0) > 0)
    }
  }

  @Test func aPeersTableIsMergedAndAnsweredWithThisNodes() async throws {
    try await withRPCServer { server in
      let peer = NodeState(
        nodeID: "peer-x", address: "10.0.0.7:1337", role: .follower, epoch: 0, commitIndex: 0, lag: 0,
        freeDiskBytes: 0, version: "v", started: 1, incarnation: 1, heartbeat: 1)
      let sent = ContinuousClock.now
      let answer = try await server.withRawClient { grpc in
        try await Io_Typusomega_Goethe_Cluster.Client(wrapping: grpc).exchange(
          .with {
            $0.cluster = "goethe"
            $0.nodes = [Io_Typusomega_Goethe_NodeState(peer)]
          })
      }
      #expect(Set(answer.nodes.map(\.nodeID)) == [server.store.nodeID, "peer-x"])
      let status = try await server.withClient { try await $0.clusterStatus() }
      // Alive for as long as its heartbeat is recent; a loaded machine may take longer than that.
      let health = status.nodes.first { $0.state.nodeID == "peer-x" }?.health
      #expect(health != nil)
      if ContinuousClock.now - sent < NodeTable.suspectAfter { #expect(health == .alive) }
    }
  }

  @Test func aTableFromAnotherClusterIsRefused() async throws {
    try await withRPCServer { server in
      let error = await #expect(throws: RPCError.self) {
        try await server.withRawClient { grpc in
          _ = try await Io_Typusomega_Goethe_Cluster.Client(wrapping: grpc).exchange(.with { $0.cluster = "other" })
        }
      }
      #expect(error?.code == .failedPrecondition)
    }
  }
}
