import Foundation
import GoetheKit
import Logging
import Synchronization
import Testing

@testable import goethe

/// A coordinator backend under the contract suite: it makes the coordinators of one fresh cluster.
enum CoordinatorBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case etcd
  /// The Kubernetes API fake, on a real etcd (``KubernetesServer``).
  case kubernetes

  var testDescription: String { rawValue }

  /// Runs `body` with `size` coordinators of one new cluster, nodes `n1`, `n2`... whose run() is not
  /// started yet (and which need it running to reach the backend), and what starting and stopping
  /// a node means to the backend besides its run().
  func withCoordinators(
    size: Int, leaseTTL: Duration, _ body: @Sendable ([any Coordinator], NodeEvents) async throws -> Void
  ) async throws {
    switch self {
    case .etcd:
      try await EtcdServer.withServer { server in
        try await server.withCoordinators(size: size, leaseTTL: leaseTTL) { try await body($0, NodeEvents()) }
      }
    case .kubernetes:
      try await KubernetesServer.withServer { server in
        let coordinators = (1...size).map { server.coordinator(node: $0, leaseTTL: leaseTTL) }
        try await body(
          coordinators,
          NodeEvents(
            started: { try await server.publishEndpoint(of: coordinators[$0].member, serving: true) },
            stopped: { try await server.publishEndpoint(of: coordinators[$0].member, serving: false) }))
      }
    }
  }

  /// Waits until `count` nodes campaign, where the backend can tell, so that a check that the
  /// others still wait is not premature: etcd, when their candidate keys exist; Kubernetes, when
  /// all but the leader have found the Lease held.
  func waitUntilCampaigning(_ count: Int, _ coordinators: [any Coordinator]) async throws {
    switch self {
    case .etcd:
      let coordinator = coordinators[0] as! EtcdCoordinator
      try await eventually("\(count) candidates are in the election") {
        try await coordinator.client.range(prefix: coordinator.keys.candidates).kvs.count == count
      }
    case .kubernetes:
      let waiting = { coordinators.filter { ($0 as! KubernetesCoordinator).isWaitingForLeadership }.count }
      try await eventually("\(count - 1) candidates found the Lease held") { waiting() >= count - 1 }
    }
  }
}

/// What the backend does when a test starts or stops a node, besides its run(): Kubernetes keeps
/// the members itself, in the EndpointSlices, which the test writes as the endpoint controller would.
struct NodeEvents: Sendable {
  var started: @Sendable (Int) async throws -> Void = { _ in }
  var stopped: @Sendable (Int) async throws -> Void = { _ in }
}

extension EtcdServer {
  /// `size` etcd coordinators of one cluster on this server, whose run() is not started yet.
  func withCoordinators(
    size: Int, leaseTTL: Duration, requestTimeout: Duration = .seconds(5),
    _ body: ([EtcdCoordinator]) async throws -> Void
  ) async throws {
    let settings = EtcdCoordinator.Settings(
      endpoints: endpoints, cluster: "test", leaseTTL: leaseTTL, requestTimeout: requestTimeout)
    let coordinators = try (1...size).map { node in
      try EtcdCoordinator(member: testMember(node), settings: settings, logger: quietLogger)
    }
    try await body(coordinators)
  }
}

/// Node `n<node>` of a test cluster, at a port nothing listens on: the coordinators only pass the
/// address on.
func testMember(_ node: Int) -> ClusterMember {
  ClusterMember(nodeID: "n\(node)", address: ServerAddress(host: "127.0.0.1", port: 7000 + node))
}

/// The coordinators of a test, with their run() in tasks that the test can start and stop.
final class ClusterNodes: Sendable {
  let coordinators: [any Coordinator]
  private let events: NodeEvents
  private let runs: Mutex<[Int: Task<Void, any Error>]> = Mutex([:])

  init(_ coordinators: [any Coordinator], events: NodeEvents = NodeEvents()) {
    self.coordinators = coordinators
    self.events = events
  }

  subscript(_ index: Int) -> any Coordinator { coordinators[index] }

  func start(_ index: Int) {
    let coordinator = coordinators[index]
    let events = events
    runs.withLock {
      $0[index] = Task {
        // A node stopped while its start is still being published must still run, to end at once
        // as a stopped node does: give up a leadership it took meanwhile. A publication that
        // failed otherwise shows in the members the test expects.
        try? await events.started(index)
        try await coordinator.run()
      }
    }
  }

  /// Cancels the node's run() and waits for it to return.
  func stop(_ index: Int) async {
    let run = runs.withLock { $0.removeValue(forKey: index) }
    run?.cancel()
    _ = await run?.result
    if run != nil { try? await events.stopped(index) }
  }

  func stopAll() async {
    for index in coordinators.indices { await stop(index) }
  }
}

extension CoordinatorBackend {
  /// Runs `body` with the nodes of a new cluster, every run() started unless `running` is false,
  /// and every run() stopped after.
  func withNodes(
    _ size: Int, leaseTTL: Duration = .seconds(10), running: Bool = true,
    _ body: @Sendable (ClusterNodes) async throws -> Void
  ) async throws {
    try await withCoordinators(size: size, leaseTTL: leaseTTL) { coordinators, events in
      let nodes = ClusterNodes(coordinators, events: events)
      if running { for index in coordinators.indices { nodes.start(index) } }
      do {
        try await body(nodes)
      } catch {
        await nodes.stopAll()
        throw error
      }
      await nodes.stopAll()
    }
  }
}

/// The coordinators' logger in tests: their warnings about the backend are expected there.
let quietLogger = Logger(label: "goethe.cluster", factory: { _ in SwiftLogNoOpLogHandler() })
