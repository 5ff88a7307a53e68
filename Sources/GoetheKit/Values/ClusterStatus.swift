/// What a node of a cluster says of itself, and shares with its peers every second.
public struct NodeState: Sendable, Equatable {
  public var nodeID: String
  /// What peers and clients dial.
  public var address: String
  public var role: Role
  public var epoch: UInt64
  public var commitIndex: UInt64
  /// How many commits the node is behind the leader, as far as it knows.
  public var lag: UInt64
  public var freeDiskBytes: UInt64
  public var version: String
  public var started: UInt64
  /// Raised each time the node starts; with ``heartbeat``, orders two states of one node.
  public var incarnation: UInt64
  /// Raised by the node itself every round.
  public var heartbeat: UInt64

  public enum Role: String, Sendable, Equatable {
    case leader, follower
  }

  public init(
    nodeID: String, address: String, role: Role, epoch: UInt64, commitIndex: UInt64, lag: UInt64, freeDiskBytes: UInt64,
    version: String, started: UInt64, incarnation: UInt64, heartbeat: UInt64
  ) {
    self.nodeID = nodeID
    self.address = address
    self.role = role
    self.epoch = epoch
    self.commitIndex = commitIndex
    self.lag = lag
    self.freeDiskBytes = freeDiskBytes
    self.version = version
    self.started = started
    self.incarnation = incarnation
    self.heartbeat = heartbeat
  }

  /// Whether this state is newer than `other`, a state of the same node.
  public func isNewer(than other: NodeState) -> Bool {
    (incarnation, heartbeat) > (other.incarnation, other.heartbeat)
  }
}

/// The cluster as one of its nodes sees it.
public struct ClusterStatus: Sendable, Equatable {
  public var cluster: String
  /// The leader's node id; nil while there is none.
  public var leader: String?
  public var epoch: UInt64
  public var nodes: [NodeStatus]

  public init(cluster: String, leader: String?, epoch: UInt64, nodes: [NodeStatus]) {
    self.cluster = cluster
    self.leader = leader
    self.epoch = epoch
    self.nodes = nodes
  }
}

/// One node in a ``ClusterStatus``.
public struct NodeStatus: Sendable, Equatable {
  public var state: NodeState
  public var health: Health
  /// When the answering node last saw this node's heartbeat advance (UNIX nanoseconds); nil if never.
  public var lastSeen: UInt64?

  public enum Health: String, Sendable, Equatable {
    /// Its heartbeat advanced within the last few rounds.
    case alive
    /// It missed some rounds.
    case suspect
    /// It missed so many rounds that it counts as gone.
    case unreachable
  }

  public init(state: NodeState, health: Health, lastSeen: UInt64?) {
    self.state = state
    self.health = health
    self.lastSeen = lastSeen
  }
}
