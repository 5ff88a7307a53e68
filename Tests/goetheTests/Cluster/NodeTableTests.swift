import GoetheKit
import Testing

@testable import goethe

/// The health table's rules: newer states win, a node's own state is its own, and silence makes
/// a node suspect, then unreachable.
@Suite struct NodeTableTests {
  static let start = ContinuousClock.now

  static func state(
    _ id: String, incarnation: UInt64 = 1, heartbeat: UInt64, role: NodeState.Role = .follower
  )
    -> NodeState
  {
    NodeState(
      nodeID: id, address: "\(id):1337", role: role, epoch: 3, commitIndex: heartbeat, lag: 0, freeDiskBytes: 1,
      version: "v", started: 1, incarnation: incarnation, heartbeat: heartbeat)
  }

  @Test func newerStatesWinAndOlderOnesAreIgnored() {
    var table = NodeTable(cluster: "c", ownID: "a")
    table.merge([Self.state("b", heartbeat: 5)], at: Self.start, wall: 1)
    table.merge([Self.state("b", heartbeat: 4)], at: Self.start + .seconds(5), wall: 2)
    #expect(table.states.map(\.heartbeat) == [5])
    #expect(table.health(of: "b", at: Self.start + .seconds(5)) == .suspect, "an older state is no sign of life")
    table.merge([Self.state("b", incarnation: 2, heartbeat: 1)], at: Self.start + .seconds(5), wall: 3)
    #expect(table.states.map(\.heartbeat) == [1], "a restart's first state is newer than any before it")
    #expect(table.health(of: "b", at: Self.start + .seconds(5)) == .alive)
  }

  @Test func aNodesOwnStateIsItsOwnToTell() {
    var table = NodeTable(cluster: "c", ownID: "a")
    table.record(own: Self.state("a", heartbeat: 2, role: .leader), at: Self.start, wall: 1)
    table.merge([Self.state("a", heartbeat: 99)], at: Self.start, wall: 1)
    #expect(table.states.map(\.heartbeat) == [2])
  }

  @Test func silenceMakesANodeSuspectThenUnreachable() {
    var table = NodeTable(cluster: "c", ownID: "a")
    table.merge([Self.state("b", heartbeat: 1)], at: Self.start, wall: 1)
    #expect(table.health(of: "b", at: Self.start + NodeTable.suspectAfter - .milliseconds(1)) == .alive)
    #expect(table.health(of: "b", at: Self.start + NodeTable.suspectAfter) == .suspect)
    #expect(table.health(of: "b", at: Self.start + NodeTable.unreachableAfter) == .unreachable)
    #expect(table.health(of: "never-heard-of", at: Self.start) == .unreachable)
  }

  @Test func aNodeNothingAnswersForIsSuspectAtOnceUntilItsHeartbeatAdvances() {
    var table = NodeTable(cluster: "c", ownID: "a")
    table.merge([Self.state("b", heartbeat: 1)], at: Self.start, wall: 1)
    table.noteUnanswered("b", at: Self.start + .milliseconds(500))
    #expect(table.health(of: "b", at: Self.start + .milliseconds(501)) == .suspect)
    table.merge([Self.state("b", heartbeat: 1)], at: Self.start + .seconds(1), wall: 2)
    #expect(table.health(of: "b", at: Self.start + .seconds(1)) == .suspect, "an old state heard again is no answer")
    table.merge([Self.state("b", heartbeat: 2)], at: Self.start + .seconds(1), wall: 3)
    #expect(table.health(of: "b", at: Self.start + .seconds(1)) == .alive, "a new heartbeat, from anyone, is")
    table.noteUnanswered("a", at: Self.start + .seconds(2))
    table.record(own: Self.state("a", heartbeat: 1), at: Self.start, wall: 1)
    #expect(table.health(of: "a", at: Self.start + .seconds(2)) == .alive, "a node answers for itself")
    table.noteUnanswered("b", at: Self.start + .seconds(2))
    #expect(table.health(of: "b", at: Self.start + NodeTable.unreachableAfter + .seconds(1)) == .unreachable)
  }

  @Test func theStatusListsMembersGossipHasNotReached() {
    var table = NodeTable(cluster: "c", ownID: "a")
    table.record(own: Self.state("a", heartbeat: 1, role: .leader), at: Self.start, wall: 7)
    let silent = ClusterMember(nodeID: "z", address: ServerAddress(host: "10.0.0.9", port: 1337))
    let status = table.status(members: [silent], leader: "a", epoch: 3, at: Self.start)
    #expect(status.nodes.map(\.state.nodeID) == ["a", "z"])
    #expect(status.nodes.map(\.health) == [.alive, .unreachable])
    #expect(status.nodes[1].state.address == "10.0.0.9:1337")
    #expect(status.nodes[1].lastSeen == nil)
    #expect(status.nodes[0].lastSeen == 7)
  }
}
