import Foundation
import GoetheKit
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Three real nodes and a real etcd on loopback: one leader, failover within the lease, a paused
/// leader that steps down before it writes again, a leader whose store fails that hands over, and
/// a restarted node that rejoins.
@Suite(.timeLimit(.minutes(3)))
struct ClusterTests {
  /// Every node sees the same leader and every node alive.
  static func settled(_ cluster: ClusterOfDaemons) -> (ClusterStatus) -> Bool {
    { status in
      status.leader != nil && status.nodes.count == cluster.ports.count
        && status.nodes.allSatisfy { $0.health == .alive }
        && status.nodes.filter { $0.state.role == .leader }.map(\.state.nodeID) == [status.leader]
    }
  }

  @Test func oneLeaderTakesWritesAndAnotherTakesOverWithinTheLeaseWhenItDies() async throws {
    try await withScratchDirectory { scratch in
      try await ClusterOfDaemons.withCluster(nodes: 3, in: scratch) { cluster in
        let (first, _) = try await cluster.waitForStatus(from: 0, within: .seconds(20), Self.settled(cluster))
        for node in 1..<3 {
          let (view, _) = try await cluster.waitForStatus(from: node, within: .seconds(5), Self.settled(cluster))
          #expect(view.leader == first.leader, "every node names the same leader")
        }
        let leader = try cluster.node(named: try #require(first.leader))
        let follower = (leader + 1) % 3

        let stored = try await cluster.daemon(leader).withClient { try await $0.append([Data("a".utf8)], to: "t") }
        #expect(stored.firstSequence == 1)
        let forwarded = try await cluster.daemon(follower).withClient { try await $0.append([Data("b".utf8)], to: "t") }
        #expect(forwarded.firstSequence == 2, "a write to a follower is sent on to the leader")

        let dead = cluster.nodeID(leader)
        let killed = ContinuousClock.now
        try await cluster.kill(leader)
        // The killed node stops showing alive within 3 s (the bound). Silence alone would
        // take 2–3 s after the kill (3 s after its last heartbeat); the first exchange that finds
        // nothing answering at its address, within one round, makes it suspect, so well under 2 s.
        _ = try await cluster.waitForStatus(from: follower, within: .seconds(15)) { status in
          status.nodes.contains { $0.state.nodeID == dead && $0.health != .alive }
        }
        let gone = ContinuousClock.now - killed
        #expect(gone < .seconds(2), "cluster status shows the killed node gone within one round: \(gone)")
        let (after, took) = try await cluster.waitForStatus(from: follower, within: cluster.leaseTTL + .seconds(8)) {
          $0.leader != nil && $0.leader != first.leader
        }
        #expect(
          gone + took <= cluster.leaseTTL + .seconds(2), "a new leader within the lease TTL plus 2 s: \(gone + took)")
        #expect(after.epoch > first.epoch)

        try await cluster.start(leader)
        let restarted = ContinuousClock.now
        let (seen, _) = try await cluster.waitForStatus(from: follower, within: .seconds(15)) { status in
          status.nodes.contains { $0.state.nodeID == dead && $0.health == .alive && $0.state.role == .follower }
        }
        let back = ContinuousClock.now - restarted
        #expect(back <= .seconds(3), "cluster status shows the restarted node alive within 3 s: \(back)")
        #expect(seen.leader == after.leader)
        let (rejoined, _) = try await cluster.waitForStatus(from: leader, within: .seconds(15), Self.settled(cluster))
        #expect(rejoined.leader == after.leader, "the restarted node rejoins as a follower")
      }
    }
  }

  /// A leader whose store takes no more writes (its file size limit makes its log's write fail)
  /// steps down, and campaigns no more: an in-sync follower takes over, writes go on, and every
  /// acknowledged event is there, once.
  @Test func aLeaderWhoseStoreFailsHandsOverToAFollower() async throws {
    try await withScratchDirectory { scratch in
      try await ClusterOfDaemons.withCluster(nodes: 3, in: scratch, started: [0], fileSizeLimits: [0: 256]) {
        cluster in
        // Alone, n1 starts the in-sync set with itself and leads; the others join it.
        _ = try await cluster.waitForStatus(from: 0, within: .seconds(20)) { $0.leader == "n1" }
        for node in 1..<3 { try await cluster.start(node) }
        _ = try await cluster.waitForStatus(from: 0, within: .seconds(20), Self.settled(cluster))

        // Through a follower, which forwards them to n1, until n1's store fails one.
        _ = try await cluster.appendEventually(Data("first".utf8), to: "t", through: 1)
        var acknowledged = ["first"]
        let padding = String(repeating: "x", count: 1_000)
        var refusal: GoetheError?
        for number in 0..<2_000 where refusal == nil {
          let payload = "e\(number) \(padding)"
          do {
            _ = try await cluster.daemon(1).withClient { try await $0.append([Data(payload.utf8)], to: "t") }
            acknowledged.append(payload)
          } catch let error as GoetheError {
            refusal = error
          }
        }
        let failure = try #require(refusal, "n1's log never reached its size limit")
        #expect(acknowledged.count > 50, "appends went through before: \(failure.message)")

        let (after, _) = try await cluster.waitForStatus(from: 1, within: cluster.leaseTTL + .seconds(10)) {
          $0.leader != nil && $0.leader != "n1"
        }
        let leader = try cluster.node(named: try #require(after.leader))
        _ = try await cluster.appendEventually(Data("after".utf8), to: "t", through: 0)
        let stored = try await cluster.daemon(leader).withClient { try await $0.everything(in: "t") }
        let texts = stored.map(\.payloadText)
        #expect(Set(acknowledged).subtracting(texts).isEmpty, "every acknowledged event is stored")
        #expect(texts.count == Set(texts).count, "no event is stored twice")
        #expect(texts.last == "after", "writes go on under the new leader")
        let (later, _) = try await cluster.waitForStatus(from: 0, within: .seconds(5)) { $0.leader == after.leader }
        #expect(later.nodes.first { $0.state.nodeID == "n1" }?.state.role == .follower)
      }
    }
  }

  @Test func aLeaderPausedPastItsLeaseDoesNoLeaderWorkWhenItWakes() async throws {
    try await withScratchDirectory { scratch in
      try await ClusterOfDaemons.withCluster(nodes: 2, in: scratch) { cluster in
        let (first, _) = try await cluster.waitForStatus(from: 0, within: .seconds(20), Self.settled(cluster))
        let leader = try cluster.node(named: try #require(first.leader))
        let other = 1 - leader
        try cluster.daemon(leader).signal(SIGSTOP)
        let (after, _) = try await cluster.waitForStatus(from: other, within: cluster.leaseTTL + .seconds(10)) {
          $0.leader == cluster.nodeID(other)
        }
        #expect(after.epoch > first.epoch)
        try cluster.daemon(leader).signal(SIGCONT)
        // It refuses the write, or (once it knows the new leader) sends it on: it does not store it.
        let late = try? await cluster.daemon(leader).withClient { try await $0.append([Data("late".utf8)], to: "t") }
        // With two nodes, writes need both in sync: the woken one first catches up.
        let stored = try await cluster.appendEventually(Data("new".utf8), to: "t", through: other)
        #expect(stored.firstSequence == (late == nil ? 1 : 2))
        let events = try await cluster.daemon(other).withClient { try await $0.everything(in: "t") }
        #expect(events.map(\.payload) == (late == nil ? [] : [Data("late".utf8)]) + [Data("new".utf8)])
      }
    }
  }

  @Test func withEtcdGoneNodesServeReadsAndNoneLeads() async throws {
    try await withScratchDirectory { scratch in
      try await ClusterOfDaemons.withCluster(nodes: 2, in: scratch) { cluster in
        let (first, _) = try await cluster.waitForStatus(from: 0, within: .seconds(20), Self.settled(cluster))
        let leader = try cluster.node(named: try #require(first.leader))
        _ = try await cluster.daemon(leader).withClient { try await $0.append([Data("kept".utf8)], to: "t") }
        cluster.etcd.kill()
        for node in 0..<2 {
          let (view, _) = try await cluster.waitForStatus(from: node, within: cluster.leaseTTL + .seconds(5)) {
            $0.leader == nil && $0.nodes.allSatisfy { $0.state.role == .follower }
          }
          #expect(view.nodes.count == 2, "every node is still listed")
        }
        let events = try await cluster.daemon(leader).withClient { try await $0.everything(in: "t") }
        #expect(events.map(\.payload) == [Data("kept".utf8)], "reads go on")
        for node in 0..<2 {
          let refusal = await #expect(throws: GoetheError.self) {
            _ = try await cluster.daemon(node).withClient { try await $0.append([Data("x".utf8)], to: "t") }
          }
          #expect(refusal?.code == .unavailable)
        }
      }
    }
  }
}
