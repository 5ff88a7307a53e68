import Foundation
import GoetheKit
import Logging
import Synchronization
import Testing

@testable import goethe

/// A coordinator backend under the contract suite: it makes the coordinators of one fresh cluster.
/// The Kubernetes backend joins as a second case.
enum CoordinatorBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case etcd

  var testDescription: String { rawValue }

  /// Runs `body` with `size` coordinators of one new cluster, nodes `n1`, `n2`... whose run() is not
  /// started yet (and which need it running to reach the backend).
  func withCoordinators(
    size: Int, leaseTTL: Duration, _ body: @Sendable ([any Coordinator]) async throws -> Void
  ) async throws {
    switch self {
    case .etcd:
      try await EtcdServer.withServer { server in
        try await server.withCoordinators(size: size, leaseTTL: leaseTTL) { try await body($0) }
      }
    }
  }

  /// Waits until `count` nodes campaign, where the backend can tell (etcd: their candidate keys exist),
  /// so that a check that the others still wait is not premature.
  func waitUntilCampaigning(_ count: Int, _ coordinators: [any Coordinator]) async throws {
    switch self {
    case .etcd:
      let coordinator = coordinators[0] as! EtcdCoordinator
      try await eventually("\(count) candidates are in the election") {
        try await coordinator.client.range(prefix: coordinator.keys.candidates).kvs.count == count
      }
    }
  }
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
      try EtcdCoordinator(
        member: ClusterMember(nodeID: "n\(node)", address: ServerAddress(host: "127.0.0.1", port: 7000 + node)),
        settings: settings, logger: quietLogger)
    }
    try await body(coordinators)
  }
}

/// The coordinators of a test, with their run() in tasks that the test can start and stop.
final class ClusterNodes: Sendable {
  let coordinators: [any Coordinator]
  private let runs: Mutex<[Int: Task<Void, any Error>]> = Mutex([:])

  init(_ coordinators: [any Coordinator]) { self.coordinators = coordinators }

  subscript(_ index: Int) -> any Coordinator { coordinators[index] }

  func start(_ index: Int) {
    let coordinator = coordinators[index]
    runs.withLock { $0[index] = Task { try await coordinator.run() } }
  }

  /// Cancels the node's run() and waits for it to return.
  func stop(_ index: Int) async {
    let run = runs.withLock { $0.removeValue(forKey: index) }
    run?.cancel()
    _ = await run?.result
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
    try await withCoordinators(size: size, leaseTTL: leaseTTL) { coordinators in
      let nodes = ClusterNodes(coordinators)
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

/// The coordinators' logger in tests: their warnings about etcd are expected there.
let quietLogger = Logger(label: "goethe.cluster", factory: { _ in SwiftLogNoOpLogHandler() })
