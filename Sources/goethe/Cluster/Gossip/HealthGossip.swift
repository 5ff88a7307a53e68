import Foundation
import GRPCCore
import GoetheKit
import Logging
import ServiceLifecycle
import SwiftProtobuf
import Synchronization

/// Shares this node's health with its peers: every second it records its own state, then
/// exchanges what it knows of every node with each member the coordinator lists, over the gRPC
/// port. Any node can then answer for the whole cluster (``status()``).
final class HealthGossip: Service, Sendable {
  static let roundInterval = Duration.seconds(1)
  /// How long one exchange may take; a peer that does not answer in time missed the round.
  static let exchangeDeadline = Duration.milliseconds(800)

  private let coordinator: any Coordinator
  private let role: ClusterRole
  private let store: any GoetheStore
  private let dataDirectory: String
  private let started: UInt64
  private let table: Mutex<NodeTable>
  private let members: Mutex<[ClusterMember]>
  private let heartbeat = Atomic<UInt64>(0)
  private let peers: PeerLinks

  /// - Parameter peerTLS: how links to peers are secured; plaintext when the daemon serves no TLS.
  init(
    coordinator: any Coordinator, role: ClusterRole, store: any GoetheStore, cluster: String, dataDirectory: String,
    peerTLS: PeerLinks.Security = nil
  ) {
    peers = PeerLinks(security: peerTLS)
    self.coordinator = coordinator
    self.role = role
    self.store = store
    self.dataDirectory = dataDirectory
    started = EventTime.now()
    table = Mutex(NodeTable(cluster: cluster, ownID: coordinator.member.nodeID))
    members = Mutex([coordinator.member])
    recordOwnState()
  }

  var cluster: String { table.withLock { $0.cluster } }

  func run() async throws {
    defer { peers.closeAll() }
    do {
      try await cancelWhenGracefulShutdown {
        try await withThrowingDiscardingTaskGroup { group in
          group.addTask { try await self.followMembers() }
          group.addTask { try await self.exchangeEverySecond() }
        }
      }
    } catch is CancellationError {}
  }

  /// Takes a peer's table and answers with this node's, merged.
  func exchange(_ states: [NodeState]) -> [NodeState] {
    table.withLock { table in
      table.merge(states, at: .now, wall: EventTime.now())
      return table.states
    }
  }

  /// The cluster as this node sees it. The leader is this node if it leads; otherwise the node
  /// with the highest epoch that says it leads and is alive, so that a leader which stepped down
  /// or went silent is not named, whatever the coordinator last said.
  func status() -> ClusterStatus {
    recordOwnState()
    let members = members.withLock { $0 }
    return table.withLock { table in
      let now = ContinuousClock.now
      let (leader, epoch): (String?, UInt64)
      if case .leader(let own) = role.current {
        (leader, epoch) = (coordinator.member.nodeID, own)
      } else {
        let leading = table.states.filter { $0.role == .leader && table.health(of: $0.nodeID, at: now) == .alive }
          .max { $0.epoch < $1.epoch }
        (leader, epoch) = (leading?.nodeID, leading?.epoch ?? table.states.map(\.epoch).max() ?? 0)
      }
      return table.status(members: members, leader: leader, epoch: epoch, at: now)
    }
  }

  /// Keeps the member list current; follows again after the coordinator fails, keeping the last
  /// list meanwhile.
  private func followMembers() async throws {
    while true {
      do {
        for try await list in coordinator.members() { members.withLock { $0 = list } }
      } catch  where !(error is CancellationError) {}
      try await Task.sleep(for: Self.roundInterval)
    }
  }

  private func exchangeEverySecond() async throws {
    while true {
      recordOwnState()
      let own = coordinator.member
      let clients = peers.clients(for: members.withLock { $0 }.filter { $0 != own })
      let sent = Io_Typusomega_Goethe_NodeTable.with {
        $0.cluster = cluster
        $0.nodes = table.withLock { $0.states }.map(Io_Typusomega_Goethe_NodeState.init)
      }
      await withDiscardingTaskGroup { group in
        for (peer, connection) in clients {
          let client = Io_Typusomega_Goethe_Cluster.Client(wrapping: connection)
          group.addTask {
            var options = CallOptions.defaults
            options.timeout = Self.exchangeDeadline
            // Fail at once on a connection that is down, rather than wait for one.
            options.waitForReady = false
            do {
              let answer = try await client.exchange(sent, options: options)
              _ = self.exchange(answer.nodes.compactMap { try? NodeState($0) })
            } catch let error as RPCError where error.code == .unavailable {
              self.table.withLock { $0.noteUnanswered(peer.nodeID, at: .now) }
            } catch {}
          }
        }
      }
      try await Task.sleep(for: Self.roundInterval)
    }
  }

  /// This node's state now, with the next heartbeat.
  private func recordOwnState() {
    let (nodeRole, epoch): (NodeState.Role, UInt64) =
      switch role.current {
      case .leader(let epoch): (.leader, epoch)
      case .follower: (.follower, store.epoch)
      }
    let commitIndex = store.durableCommitIndex
    let beat = heartbeat.wrappingAdd(1, ordering: .relaxed).newValue
    table.withLock { table in
      let leaderCommit =
        table.states.filter { $0.role == .leader }.max { $0.epoch < $1.epoch }?.commitIndex ?? commitIndex
      let state = NodeState(
        nodeID: coordinator.member.nodeID, address: "\(coordinator.member.address)", role: nodeRole, epoch: epoch,
        commitIndex: commitIndex, lag: leaderCommit > commitIndex ? leaderCommit - commitIndex : 0,
        freeDiskBytes: Self.freeBytes(in: dataDirectory), version: GoetheVersion.current, started: started,
        incarnation: started, heartbeat: beat)
      table.record(own: state, at: .now, wall: EventTime.now())
    }
  }

  /// The bytes free to an unprivileged writer on the file system of `path`; 0 if unknown.
  private static func freeBytes(in path: String) -> UInt64 {
    var stats = statvfs()
    guard statvfs(path, &stats) == 0 else { return 0 }
    return UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
  }
}
