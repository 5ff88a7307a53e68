import GRPCCore
import GoetheKit
import Synchronization

/// This node's part in the cluster, as its leader election last decided: the leader under an
/// epoch, or a follower of a known (or not yet known) leader. Only the leader takes writes.
final class ClusterRole: Sendable {
  enum Part: Equatable, Sendable {
    case leader(epoch: UInt64)
    case follower(leader: ClusterMember?)
  }

  private let coordinator: any Coordinator
  private let part: Mutex<Part>

  init(_ part: Part, coordinator: any Coordinator) {
    self.part = Mutex(part)
    self.coordinator = coordinator
  }

  var current: Part { part.withLock { $0 } }

  /// The leader to send writes on to: the one this node follows, unless that is this node itself
  /// (as a deposed leader's stale news of itself can say).
  var leaderToForwardTo: ClusterMember? {
    guard case .follower(let leader?) = current, leader.nodeID != coordinator.member.nodeID else { return nil }
    return leader
  }

  func change(to newPart: Part) { part.withLock { $0 = newPart } }

  /// Throws UNAVAILABLE, marked as a ``NotLeader`` refusal, unless this node leads now: on a
  /// follower it names the leader, in the message and in `goethe-leader` metadata; on a leader
  /// whose lease ran out by its own clock (it was paused, say), it refuses before doing leader work.
  func checkWritable() throws(RPCError) {
    switch current {
    case .leader(let epoch):
      guard coordinator.holdsLeadership(epoch: epoch) else {
        throw GoetheError.notLeader("this node's leadership has lapsed; retry shortly", leader: nil).rpcError
      }
    case .follower(let leader?):
      throw GoetheError.notLeader(
        "this node is a follower; write to the leader at \(leader.address)", leader: leader.address
      ).rpcError
    case .follower(nil):
      throw GoetheError.notLeader("the cluster has no leader at the moment; retry shortly", leader: nil).rpcError
    }
  }
}
