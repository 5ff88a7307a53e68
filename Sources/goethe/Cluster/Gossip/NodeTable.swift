import GoetheKit

/// What one node knows of every node's state, and when it last saw each node's heartbeat advance,
/// merged from what its peers tell it. Pure: the caller passes the time.
///
/// Of two states of one node the newer wins (``NodeState/isNewer(than:)``), so a state spreads to
/// every node that hears of it, directly or through a peer. A node whose heartbeat has not
/// advanced for ``suspectAfter`` is suspect, for ``unreachableAfter`` unreachable.
///
/// Silence alone is slow to tell a dead node: a node killed just after its heartbeat was heard
/// shows alive for the whole ``suspectAfter``. A node that nothing answers for at its address
/// (connection refused or reset, which a slow node does not cause) is suspect at once, until its
/// heartbeat advances again, heard from it or from any peer.
struct NodeTable: Sendable {
  static let suspectAfter = Duration.seconds(3)
  static let unreachableAfter = Duration.seconds(6)

  struct Entry: Sendable {
    var state: NodeState
    /// When its heartbeat last advanced, by this node's monotonic clock and by the wall clock.
    var advanced: ContinuousClock.Instant
    var advancedWall: UInt64
  }

  let cluster: String
  let ownID: String
  private(set) var entries: [String: Entry] = [:]
  /// When an exchange last found nothing answering at each node's address.
  private var unanswered: [String: ContinuousClock.Instant] = [:]

  init(cluster: String, ownID: String) {
    self.cluster = cluster
    self.ownID = ownID
  }

  /// Every state this node knows, its own among them.
  var states: [NodeState] { entries.values.map(\.state).sorted { $0.nodeID < $1.nodeID } }

  /// This node's own state, new this round.
  mutating func record(own state: NodeState, at now: ContinuousClock.Instant, wall: UInt64) {
    entries[ownID] = Entry(state: state, advanced: now, advancedWall: wall)
  }

  /// Takes the states a peer knows where they are newer than this node's; its own state is this
  /// node's to tell.
  mutating func merge(_ states: [NodeState], at now: ContinuousClock.Instant, wall: UInt64) {
    for state in states where state.nodeID != ownID {
      if let known = entries[state.nodeID], !state.isNewer(than: known.state) { continue }
      entries[state.nodeID] = Entry(state: state, advanced: now, advancedWall: wall)
    }
  }

  /// Notes that nothing answered at `nodeID`'s address: the connection was refused or reset.
  mutating func noteUnanswered(_ nodeID: String, at now: ContinuousClock.Instant) {
    guard nodeID != ownID else { return }
    unanswered[nodeID] = now
  }

  func health(of nodeID: String, at now: ContinuousClock.Instant) -> NodeStatus.Health {
    guard let entry = entries[nodeID] else { return .unreachable }
    let silence = now - entry.advanced
    if silence >= Self.unreachableAfter { return .unreachable }
    if silence >= Self.suspectAfter { return .suspect }
    if let unanswered = unanswered[nodeID], unanswered > entry.advanced { return .suspect }
    return .alive
  }

  /// The cluster as this node sees it: every member the coordinator lists and every node that
  /// gossip knows, with `leader` leading under `epoch`.
  func status(
    members: [ClusterMember], leader: String?, epoch: UInt64, at now: ContinuousClock.Instant
  ) -> ClusterStatus {
    var ids = Set(entries.keys)
    for member in members { ids.insert(member.nodeID) }
    let nodes = ids.sorted().map { id in
      let entry = entries[id]
      let address = entry?.state.address ?? members.first { $0.nodeID == id }.map { "\($0.address)" } ?? ""
      let state =
        entry?.state
        ?? NodeState(
          nodeID: id, address: address, role: .follower, epoch: 0, commitIndex: 0, lag: 0, freeDiskBytes: 0,
          version: "", started: 0, incarnation: 0, heartbeat: 0)
      return NodeStatus(state: state, health: health(of: id, at: now), lastSeen: entry?.advancedWall)
    }
    return ClusterStatus(cluster: cluster, leader: leader, epoch: epoch, nodes: nodes)
  }
}
