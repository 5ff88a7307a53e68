import Foundation
import GoetheKit
import Testing

@testable import goethe

/// What only the etcd backend shows: its keys, leases that etcd ends, and an etcd that is gone or
/// hung.
@Suite(.timeLimit(.minutes(1)))
struct EtcdCoordinatorTests {
  @Test func membersAndCandidatesAreStoredUnderTheClusterPrefix() async throws {
    try await EtcdServer.withServer { server in
      try await server.withCoordinators(size: 1, leaseTTL: .seconds(10)) { coordinators in
        let nodes = ClusterNodes(coordinators)
        let coordinator = coordinators[0]
        nodes.start(0)
        let epoch = try await coordinator.campaign()
        let members = try await coordinator.client.range(prefix: "/goethe/test/members/").kvs
        #expect(members.map { String(decoding: $0.key, as: UTF8.self) } == ["/goethe/test/members/n1"])
        #expect(String(decoding: members[0].value, as: UTF8.self) == #"{"address":"127.0.0.1:7001","node_id":"n1"}"#)
        let candidates = try await coordinator.client.range(prefix: "/goethe/test/leader/").kvs
        #expect(candidates.count == 1)
        #expect(candidates.first?.createRevision == Int64(epoch))
        #expect(candidates.first?.lease == members[0].lease)
        await nodes.stopAll()
      }
    }
  }

  /// run() carries the connection: once it ends, so do the coordinator's streams and calls.
  @Test func whenRunEndsTheStreamsAndCallsEnd() async throws {
    try await EtcdServer.withServer { server in
      try await server.withCoordinators(size: 1, leaseTTL: .seconds(10)) { coordinators in
        let nodes = ClusterNodes(coordinators)
        let coordinator = coordinators[0]
        nodes.start(0)
        let members = Recorder(coordinator.members())
        defer { members.cancel() }
        try await eventually("n1 is a member") { members.last == [coordinator.member] }
        await nodes.stopAll()
        try await eventually("the members stream fails") { members.failure != nil }
        await #expect(throws: (any Error).self) { try await coordinator.metadata("x") }
      }
    }
  }

  /// etcd ends the leader's lease (as when its TTL ran out): the leader learns it and stops
  /// leading, the other candidate wins, and the old leader leaves the members, then registers
  /// again under a new lease.
  @Test func aLeaseEtcdEndsEndsTheLeadershipAndTheMemberRegistersAgain() async throws {
    try await EtcdServer.withServer { server in
      try await server.withCoordinators(size: 2, leaseTTL: .seconds(10)) { coordinators in
        let nodes = ClusterNodes(coordinators)
        nodes.start(0)
        nodes.start(1)
        let (a, b) = (coordinators[0], coordinators[1])
        let first = try await a.campaign()
        let campaigns = Campaigns(coordinators, nodes: [1])
        defer { campaigns.cancel() }
        try await CoordinatorBackend.etcd.waitUntilCampaigning(2, coordinators)
        let members = Recorder(b.members())
        defer { members.cancel() }
        try await eventually("both are members") { members.last == [a.member, b.member] }
        let lease = try #require(try await memberLease(of: a))
        try await b.client.revokeLease(lease)

        try await eventually("n2 wins") { !campaigns.won.isEmpty }
        #expect(campaigns.won[0].epoch > first)
        try await eventually("n1 knows it lost", within: .seconds(3)) { !a.holdsLeadership(epoch: first) }
        try await eventually("n1 registers again under a new lease") {
          let current = try await memberLease(of: a)
          return current != nil && current != lease
        }
        try await eventually("n1 is a member again") { members.last == [a.member, b.member] }
        #expect(members.values.contains([b.member]), "n1 left when its lease ended: \(members.values)")
        await nodes.stopAll()
      }
    }
  }

  /// A hung etcd tells its clients nothing: the leader stops leading by its own clock, within the
  /// lease TTL, and calls end at their deadline. Once etcd answers again, the node is a member again.
  @Test func aLeaderStepsDownByItsOwnClockWhenEtcdHangs() async throws {
    try await EtcdServer.withServer { server in
      try await server.withCoordinators(size: 1, leaseTTL: .seconds(2), requestTimeout: .seconds(1)) {
        coordinators in
        let nodes = ClusterNodes(coordinators)
        let coordinator = coordinators[0]
        nodes.start(0)
        // A loaded machine can take longer than the 1 s deadline to grant the first lease.
        try await eventually("the node is a member") { (try? await memberLease(of: coordinator)) != nil }
        let epoch = try await coordinator.campaign()
        #expect(coordinator.holdsLeadership(epoch: epoch))

        server.pause()
        // etcd tells it nothing: only its clock can, within the TTL (2 s) of the last renewal etcd
        // acknowledged, plus some slack for a loaded machine.
        try await eventually("the leader steps down", within: .seconds(3)) {
          !coordinator.holdsLeadership(epoch: epoch)
        }
        let asked = ContinuousClock.now
        let error = await #expect(throws: GoetheError.self) { try await coordinator.metadata("x") }
        #expect(error?.code == .deadlineExceeded)
        #expect(ContinuousClock.now - asked < .seconds(5), "the deadline is 1 s")

        server.resume()
        // etcd, just resumed, expires the lease and grants a new one; on a machine loaded by the
        // other suites that has taken more than 10 s.
        try await eventually("the node is a member again", within: .seconds(30)) {
          (try? await memberLease(of: coordinator)) != nil
        }
        let again = try await coordinator.campaign()
        #expect(again >= epoch)
        #expect(coordinator.holdsLeadership(epoch: again))
        await nodes.stopAll()
      }
    }
  }

  @Test func anUnreachableEtcdIsAnErrorNotAHang() async throws {
    let port = try EtcdServer.freePort()
    let settings = EtcdCoordinator.Settings(
      endpoints: try EtcdEndpoints(parsing: "etcd://127.0.0.1:\(port)"), cluster: "test", leaseTTL: .seconds(2),
      requestTimeout: .seconds(1))
    let member = ClusterMember(nodeID: "n1", address: ServerAddress(host: "127.0.0.1", port: 7001))
    let coordinator = try EtcdCoordinator(member: member, settings: settings, logger: quietLogger)
    let nodes = ClusterNodes([coordinator])
    nodes.start(0)
    let start = ContinuousClock.now
    let error = await #expect(throws: GoetheError.self) { try await coordinator.metadata("x") }
    // Refused at once; on a loaded machine the deadline may come first.
    #expect(
      error?.message == "cannot reach etcd at 127.0.0.1:\(port) (connection refused)"
        || error?.message == "etcd at 127.0.0.1:\(port) did not answer within 1 s")
    #expect([.unreachable, .deadlineExceeded].contains(error?.code))
    // A bound far from a hang, and loose enough for the machine running every other suite at once.
    #expect(ContinuousClock.now - start < .seconds(15))

    let campaigning = ContinuousClock.now
    let refused = await #expect(throws: GoetheError.self) { try await coordinator.campaign() }
    #expect(refused?.message.hasPrefix("no lease from etcd at 127.0.0.1:\(port) within 1 s: ") == true)
    #expect(ContinuousClock.now - campaigning < .seconds(15))
    await nodes.stopAll()
  }

  /// The endpoints are tried in turn: a dead one first does not stop the client, nor does a host
  /// name rather than an address.
  @Test func aDeadEndpointIsPassedOver() async throws {
    try await EtcdServer.withServer { server in
      let dead = try EtcdServer.freePort()
      let endpoints = EtcdEndpoints(addresses: [
        ServerAddress(host: "127.0.0.1", port: dead), ServerAddress(host: "localhost", port: server.clientPort),
      ])
      try await EtcdClient.withClient(endpoints: endpoints, requestTimeout: .seconds(2)) { client in
        try await eventually("a read succeeds through the live endpoint") {
          (try? await client.range(prefix: "/")) != nil
        }
      }
    }
  }

  /// The lease of `coordinator`'s member key, if it has one.
  private func memberLease(of coordinator: EtcdCoordinator) async throws -> Int64? {
    try await coordinator.client.range(prefix: coordinator.keys.member(coordinator.member.nodeID)).kvs.first?.lease
  }
}
