/// A write refused by a node that does not lead the cluster, before it did anything: the client
/// may send it again unchanged, to the leader when the node names one.
public struct NotLeader: Sendable, Equatable {
  /// The leader the refusing node follows; nil while the cluster has none, or the node does not
  /// know it yet.
  public var leader: ServerAddress?

  public init(leader: ServerAddress?) { self.leader = leader }
}

extension GoetheError {
  /// UNAVAILABLE for a write this node does not take because it does not lead.
  public static func notLeader(_ message: String, leader: ServerAddress?) -> GoetheError {
    var error = GoetheError(.unavailable, message)
    error.notLeader = NotLeader(leader: leader)
    return error
  }
}
