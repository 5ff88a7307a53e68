import Foundation
import GoetheKit
import Synchronization
import Testing

/// A GoetheKit client given the nodes of a real three-node cluster follows its leader: a stream
/// refused by a follower goes to the leader it names, and writes go on through the leader's
/// death without the caller trying again.
@Suite(.timeLimit(.minutes(2)))
struct ClientFailoverTests {
  static func servers(_ cluster: ClusterOfDaemons) -> [ServerAddress] {
    (0..<cluster.ports.count).map { ServerAddress(host: "127.0.0.1", port: cluster.ports[$0]) }
  }

  @Test func aStreamRefusedByAFollowerGoesToTheLeaderItNames() async throws {
    try await withScratchDirectory { scratch in
      try await ClusterOfDaemons.withCluster(nodes: 3, in: scratch) { cluster in
        let (status, _) = try await cluster.waitForStatus(from: 0, within: .seconds(20), ClusterTests.settled(cluster))
        let leader = try cluster.node(named: try #require(status.leader))
        let follower = (leader + 1) % 3
        _ = try await cluster.appendEventually(Data("first".utf8), to: "orders", through: leader)

        // Only the follower is given: AppendStream is not sent on, so the follower refuses it,
        // naming the leader, and the producer opens its stream there.
        let payloads = (0..<500).map { Data("event \($0)".utf8) }
        let leaderAddress = try cluster.daemon(leader).address
        let acknowledged = try await GoetheClient.withConnection(
          to: [cluster.daemon(follower).address], timeout: .seconds(20)
        ) { client in
          let results = Mutex<[AppendResult]>([])
          try await client.withProducer(to: "orders", onAcknowledgement: { ack in results.withLock { $0.append(ack) } })
          {
            producer in
            for payload in payloads { try await producer.send(payload) }
          }
          #expect(client.server == leaderAddress, "the client now talks to the leader")
          return results.withLock { $0 }
        }
        #expect(acknowledged.reduce(0) { $0 + $1.count } == payloads.count)
        let stored = try await cluster.daemon(leader).withClient { try await $0.everything(in: "orders") }
        #expect(stored.map(\.payload) == [Data("first".utf8)] + payloads, "each event stored once, in order")
      }
    }
  }

  @Test func writesGoOnThroughTheLeadersDeathWithoutTheCallerTryingAgain() async throws {
    try await withScratchDirectory { scratch in
      try await ClusterOfDaemons.withCluster(nodes: 3, in: scratch) { cluster in
        let (status, _) = try await cluster.waitForStatus(from: 0, within: .seconds(20), ClusterTests.settled(cluster))
        let leader = try cluster.node(named: try #require(status.leader))
        _ = try await cluster.appendEventually(Data("0".utf8), to: "orders", through: leader)

        // The leader first, so that calls go to it until it dies.
        let servers = Self.servers(cluster)
        let ordered = [servers[leader]] + servers.enumerated().filter { $0.offset != leader }.map(\.element)
        try await GoetheClient.withConnection(to: ordered, timeout: .seconds(30)) { client in
          for index in 1...3 { _ = try await client.append([Data("\(index)".utf8)], to: "orders") }
          try await cluster.kill(leader)
          // Once the others see it gone (and so have its connections closed): a write sent on a
          // connection that broke after the send may be stored, so nothing resends that one.
          let dead = cluster.nodeID(leader)
          _ = try await cluster.waitForStatus(from: (leader + 1) % 3, within: .seconds(15)) { status in
            status.nodes.contains { $0.state.nodeID == dead && $0.health != .alive }
          }
          // Each append either lands or fails; none is retried here. The client itself moves on
          // from the dead node and waits out the election.
          for index in 4...6 { _ = try await client.append([Data("\(index)".utf8)], to: "orders") }
          #expect(client.server != servers[leader])
        }
        let (after, _) = try await cluster.waitForStatus(from: (leader + 1) % 3, within: .seconds(20)) {
          $0.leader != nil && $0.leader != status.leader
        }
        let newLeader = try cluster.node(named: try #require(after.leader))
        let stored = try await cluster.daemon(newLeader).withClient { try await $0.everything(in: "orders") }
        #expect(stored.map { String(decoding: $0.payload, as: UTF8.self) } == (0...6).map(String.init))
      }
    }
  }
}
