import GoetheKit
import Testing

@testable import goethe

/// What every coordinator backend must do, run against each: a few coordinators of one cluster
/// campaign, resign, follow the leadership and the members, and share metadata.
@Suite(.timeLimit(.minutes(1)))
struct CoordinatorContractTests {
  @Test(arguments: CoordinatorBackend.allCases)
  func oneCandidateWinsAndTheOthersWait(backend: CoordinatorBackend) async throws {
    try await backend.withNodes(3) { nodes in
      let campaigns = Campaigns(nodes.coordinators, nodes: [0, 1, 2])
      defer { campaigns.cancel() }
      try await eventually("a candidate wins") { !campaigns.won.isEmpty }
      try await backend.waitUntilCampaigning(3, nodes.coordinators)
      let won = campaigns.won
      try #require(won.count == 1, "\(won)")
      let (winner, epoch) = won[0]
      #expect(epoch > 0)
      for node in 0..<3 {
        #expect(nodes[node].holdsLeadership(epoch: epoch) == (node == winner))
      }
    }
  }

  @Test(arguments: CoordinatorBackend.allCases)
  func resigningLetsAnotherWinWithAHigherEpoch(backend: CoordinatorBackend) async throws {
    try await backend.withNodes(3) { nodes in
      let campaigns = Campaigns(nodes.coordinators, nodes: [0, 1, 2])
      defer { campaigns.cancel() }
      try await eventually("a candidate wins") { campaigns.won.count == 1 }
      try await backend.waitUntilCampaigning(3, nodes.coordinators)
      for round in 1...2 {
        let (leader, epoch) = campaigns.won[round - 1]
        try await nodes[leader].resign()
        #expect(!nodes[leader].holdsLeadership(epoch: epoch))
        try await eventually("another candidate wins after round \(round)") { campaigns.won.count == round + 1 }
        let (next, nextEpoch) = campaigns.won[round]
        #expect(next != leader)
        #expect(nextEpoch > epoch)
        #expect(nodes[next].holdsLeadership(epoch: nextEpoch))
      }
      #expect(Set(campaigns.won.map(\.node)) == [0, 1, 2])
    }
  }

  @Test(arguments: CoordinatorBackend.allCases)
  func leadershipReportsTheLeaderAndEachChange(backend: CoordinatorBackend) async throws {
    try await backend.withNodes(3) { nodes in
      let observed = Recorder(nodes[2].leadership())
      defer { observed.cancel() }
      try await eventually("the observer reports no leader") { observed.last != nil }
      #expect(observed.values == [Leadership(leader: nil, epoch: 0)])

      let first = try await nodes[0].campaign()
      try await eventually("the observer reports n1") {
        observed.last == Leadership(leader: nodes[0].member, epoch: first)
      }
      let campaigns = Campaigns(nodes.coordinators, nodes: [1])
      defer { campaigns.cancel() }
      try await backend.waitUntilCampaigning(2, nodes.coordinators)
      try await nodes[0].resign()
      try await eventually("n2 wins") { !campaigns.won.isEmpty }
      let second = campaigns.won[0].epoch
      #expect(second > first)
      try await eventually("the observer reports n2") {
        observed.last == Leadership(leader: nodes[1].member, epoch: second)
      }
      try await nodes[1].resign()
      try await eventually("the observer reports no leader again") { observed.last?.leader == nil }

      let leaders = observed.values.filter { $0.leader != nil }
      #expect(
        leaders == [
          Leadership(leader: nodes[0].member, epoch: first), Leadership(leader: nodes[1].member, epoch: second),
        ])
      #expect(observed.values.first == Leadership(leader: nil, epoch: 0))
      #expect(observed.failure == nil)
    }
  }

  @Test(arguments: CoordinatorBackend.allCases)
  func membersShowJoinsAndLeaves(backend: CoordinatorBackend) async throws {
    try await backend.withNodes(3, running: false) { nodes in
      let member = { (index: Int) in nodes[index].member }
      nodes.start(0)
      let observed = Recorder(nodes[0].members())
      defer { observed.cancel() }
      try await eventually("n1 is a member") { observed.last == [member(0)] }
      nodes.start(1)
      try await eventually("n2 joins") { observed.last == [member(0), member(1)] }
      nodes.start(2)
      try await eventually("n3 joins") { observed.last == [member(0), member(1), member(2)] }
      // Well within the lease TTL of 10 s: a stopped node leaves at once.
      await nodes.stop(1)
      try await eventually("n2 leaves", within: .seconds(5)) { observed.last == [member(0), member(2)] }
      #expect(observed.failure == nil)
    }
  }

  @Test(arguments: CoordinatorBackend.allCases)
  func leadershipEndsWithTheLease(backend: CoordinatorBackend) async throws {
    // A lease long enough that the keep-alives of a machine loaded by other suites hold it.
    try await backend.withNodes(2, leaseTTL: .seconds(5)) { nodes in
      let first = try await nodes[0].campaign()
      #expect(nodes[0].holdsLeadership(epoch: first))
      let campaigns = Campaigns(nodes.coordinators, nodes: [1])
      defer { campaigns.cancel() }
      await nodes.stop(0)
      #expect(!nodes[0].holdsLeadership(epoch: first))
      try await eventually("n2 wins", within: .seconds(20)) { !campaigns.won.isEmpty }
      #expect(campaigns.won[0].epoch > first)
      #expect(!nodes[0].holdsLeadership(epoch: first))
    }
  }

  @Test(arguments: CoordinatorBackend.allCases)
  func compareAndSetNeedsTheCurrentVersion(backend: CoordinatorBackend) async throws {
    try await backend.withNodes(2) { nodes in
      let (a, b) = (nodes[0], nodes[1])
      #expect(try await a.metadata("in-sync") == nil)
      #expect(try await a.compareAndSet("in-sync", to: [1], expected: nil))
      #expect(try await !b.compareAndSet("in-sync", to: [2], expected: nil), "it exists already")

      let first = try #require(try await b.metadata("in-sync"))
      #expect(first.value == [1])
      #expect(try await b.compareAndSet("in-sync", to: [2], expected: first.version))
      #expect(try await !a.compareAndSet("in-sync", to: [3], expected: first.version), "a stale version")

      let second = try #require(try await a.metadata("in-sync"))
      #expect(second.value == [2])
      #expect(second.version != first.version)
      #expect(try await a.compareAndSet("in-sync", to: [3], expected: second.version))
      #expect(try await b.metadata("in-sync")?.value == [3])
      #expect(try await b.metadata("other") == nil)
    }
  }
}
