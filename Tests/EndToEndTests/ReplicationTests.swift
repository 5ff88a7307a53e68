import Foundation
import GoetheKit
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A Jepsen-style run: three real nodes and a real etcd, producers appending through GoetheKit,
/// and faults: the leader killed, the leader paused past its lease, a follower killed, every node
/// restarted, the in-sync nodes lost while an out-of-sync one runs alone, and, where network
/// namespaces can be made (``NetworkLab``, root), the leader partitioned from its followers and
/// a follower from the leader. Once they heal, every node must hold every acknowledged event
/// exactly once, in the same order, under the id and sequence it was acknowledged with, and the
/// cursors.
///
/// `make test` runs one round; `make test-cluster` runs more, each with its own seed, which
/// `GOETHE_JEPSEN_SEED` replays.
@Suite(.timeLimit(.minutes(5)))
struct ReplicationTests {
  /// Acknowledgements to wait for between faults.
  static let progress = 15

  @Test func acknowledgedEventsSurviveEveryFault() async throws {
    let seed = ProcessInfo.processInfo.environment["GOETHE_JEPSEN_SEED"].flatMap { UInt64($0) } ?? 1
    let (lab, unavailable) = NetworkLab.create(nodes: 3)
    defer { lab?.destroy() }
    if let unavailable {
      FileHandle.standardError.write(
        Data("ReplicationTests: no network namespaces here (\(unavailable)); the partition faults are left out\n".utf8))
    }
    try await withScratchDirectory { scratch in
      try await ClusterOfDaemons.withCluster(nodes: 3, in: scratch, lab: lab) { cluster in
        var random = SplitMix64(seed: seed)
        let workload = ProducerWorkload(cluster: cluster)
        _ = try await cluster.waitForStatus(from: 0, within: .seconds(20), ClusterTests.settled(cluster))
        workload.start(producers: 3)
        try await workload.waitForAcknowledgements(Self.progress, within: .seconds(30))

        let faults = Fault.allCases.filter { lab != nil || !$0.cutsLinks }.shuffled(using: &random)
        var cursor: CursorInfo?
        for fault in faults {
          try await fault.inject(into: cluster, random: &random) {
            try await workload.waitForAcknowledgements(Self.progress, within: .seconds(90))
          }
          if cursor == nil { cursor = try await Self.setCursor(in: cluster) }
        }
        await workload.stop()

        let nodes = try await Self.convergedEvents(of: cluster)
        let checker = ReplicationChecker(acknowledged: workload.acknowledged, indeterminate: workload.indeterminate)
        let anomalies = checker.anomalies(in: nodes)
        FileHandle.standardError.write(
          Data(
            "ReplicationTests: seed \(seed): \(workload.acknowledged.count) acknowledged, \(workload.duplicates) of them answered as sent before, \(workload.indeterminate.count) indeterminate\n"
              .utf8))
        #expect(anomalies.isEmpty, "seed \(seed), faults \(faults): \(anomalies.prefix(20))")
        #expect(workload.acknowledged.count >= Self.progress * (faults.count + 1))
        for node in cluster.ports.indices {
          let held = try await cluster.daemon(node).withClient {
            try await $0.cursor(topic: ProducerWorkload.topic, consumer: "audit")
          }
          #expect(held.eventID == cursor?.eventID, "the cursor survives on \(cluster.nodeID(node))")
        }
      }
    }
  }

  /// Sets a cursor through the leader, trying again while leadership moves.
  private static func setCursor(in cluster: ClusterOfDaemons) async throws -> CursorInfo {
    let deadline = ContinuousClock.now + .seconds(30)
    while true {
      let leader = try await Fault.leader(of: cluster)
      do {
        return try await cluster.daemon(leader).withClient {
          try await $0.setCursor(topic: ProducerWorkload.topic, consumer: "audit", to: .end)
        }
      } catch  where ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(200))
      }
    }
  }

  /// Every node's events, once they all hold the same ones (or after 30 s, for the checker to
  /// report how they differ).
  private static func convergedEvents(of cluster: ClusterOfDaemons) async throws -> [String: [StoredEvent]] {
    let deadline = ContinuousClock.now + .seconds(30)
    while true {
      var nodes: [String: [StoredEvent]] = [:]
      for node in cluster.ports.indices {
        nodes[cluster.nodeID(node)] = try await cluster.daemon(node).withClient {
          try await $0.everything(in: ProducerWorkload.topic)
        }
      }
      if Set(nodes.values.map { $0.map(\.id) }).count == 1 || ContinuousClock.now > deadline { return nodes }
      try await Task.sleep(for: .milliseconds(250))
    }
  }
}

/// A fault, injected while the producers run and healed once they have made progress.
enum Fault: String, CaseIterable, CustomStringConvertible {
  case killLeader, pauseLeader, killFollower, restartAll
  /// A follower is killed and falls behind; then the two in-sync nodes are killed and the one
  /// behind starts alone. It must not lead (it lacks acknowledged events) until the others are back.
  case loseInSyncNodes
  /// The leader is paused past its lease; once another leads, it wakes, and shortly after the new
  /// leader is killed. What the woken leader sent the followers must not cost them the new
  /// leader's events.
  case wakeStaleLeader
  /// The leader and its followers cannot reach each other, while all reach etcd: the leader keeps
  /// its lease, drops the followers from the in-sync set and refuses writes, having too few in
  /// sync. Healed once it sees them gone.
  case partitionLeader
  /// One follower and the leader cannot reach each other: the leader goes on with the other.
  case partitionFollower

  var description: String { rawValue }

  /// Whether the fault needs the links between nodes cut (a ``NetworkLab``).
  var cutsLinks: Bool { self == .partitionLeader || self == .partitionFollower }

  func inject(
    into cluster: ClusterOfDaemons, random: inout SplitMix64, progress: () async throws -> Void
  ) async throws {
    let leader = try await Self.leader(of: cluster)
    switch self {
    case .killLeader:
      try await cluster.kill(leader)
      try await progress()
      try await cluster.start(leader)
    case .pauseLeader:
      try cluster.daemon(leader).signal(SIGSTOP)
      try await progress()
      try cluster.daemon(leader).signal(SIGCONT)
    case .killFollower:
      let followers = cluster.ports.indices.filter { $0 != leader }
      let follower = followers[Int(random.next() % UInt64(followers.count))]
      try await cluster.kill(follower)
      try await progress()
      try await cluster.start(follower)
    case .restartAll:
      for node in cluster.ports.indices { try await cluster.kill(node) }
      for node in cluster.ports.indices { try await cluster.start(node) }
      try await progress()
    case .loseInSyncNodes:
      let behind = (leader + 1) % cluster.ports.count
      try await cluster.kill(behind)
      try await progress()
      let inSync = cluster.ports.indices.filter { $0 != behind }
      for node in inSync { try await cluster.kill(node) }
      try await cluster.start(behind)
      // Long enough for it to win an election, if it could.
      try await Task.sleep(for: cluster.leaseTTL * 2)
      for node in inSync { try await cluster.start(node) }
      try await progress()
    case .partitionLeader:
      let lab = try cluster.requireLab()
      let followers = cluster.ports.indices.filter { $0 != leader }
      for follower in followers { try lab.cut(leader, from: follower) }
      _ = try await cluster.waitForStatus(from: leader, within: .seconds(30)) { status in
        followers.allSatisfy { follower in
          status.nodes.contains { $0.state.nodeID == cluster.nodeID(follower) && $0.health != .alive }
        }
      }
      try lab.heal()
      try await progress()
    case .partitionFollower:
      let lab = try cluster.requireLab()
      let followers = cluster.ports.indices.filter { $0 != leader }
      let follower = followers[Int(random.next() % UInt64(followers.count))]
      try lab.cut(leader, from: follower)
      try await progress()
      try lab.heal()
    case .wakeStaleLeader:
      try cluster.daemon(leader).signal(SIGSTOP)
      try await progress()
      let successor = try await Self.leader(of: cluster, other: leader)
      try cluster.daemon(leader).signal(SIGCONT)
      // Time for the woken leader's replication to reach the followers.
      try await Task.sleep(for: .milliseconds(300))
      try await cluster.kill(successor)
      try await progress()
      try await cluster.start(successor)
    }
    // Healed: every node alive and one leader, before the next fault.
    _ = try await cluster.waitForStatus(from: leader, within: .seconds(30), ClusterTests.settled(cluster))
  }

  /// The node the running nodes name as leader (other than `other`).
  static func leader(of cluster: ClusterOfDaemons, other: Int? = nil) async throws -> Int {
    let running = cluster.ports.indices.first { cluster.daemons[$0] != nil && $0 != other } ?? 0
    let (status, _) = try await cluster.waitForStatus(from: running, within: .seconds(30)) {
      $0.leader != nil && $0.leader != other.map(cluster.nodeID)
    }
    return try cluster.node(named: status.leader!)
  }
}
