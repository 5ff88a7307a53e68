import Foundation
import GoetheKit
import TestSupport

/// Real goethe daemons coordinated by a real etcd on loopback: each node on a port chosen free
/// beforehand, so that it can be restarted on the same address with the same data directory.
/// In a ``NetworkLab`` each node runs in a network namespace of its own, on the lab's address,
/// so that the links between nodes can be cut.
final class ClusterOfDaemons: @unchecked Sendable {
  // Safety of `@unchecked Sendable`: `daemons` is only read and replaced by the test's own task.
  let etcd: EtcdProcess
  let scratch: URL
  let leaseTTL: Duration
  let ports: [Int]
  let lab: NetworkLab?
  /// The size a file of a node may grow to, in KiB, by node (``GoetheProcess``).
  let fileSizeLimits: [Int: Int]
  var daemons: [Daemon?]

  static let cluster = "e2e"

  private init(
    etcd: EtcdProcess, scratch: URL, leaseTTL: Duration, ports: [Int], lab: NetworkLab?, fileSizeLimits: [Int: Int]
  ) {
    self.etcd = etcd
    self.scratch = scratch
    self.leaseTTL = leaseTTL
    self.ports = ports
    self.lab = lab
    self.fileSizeLimits = fileSizeLimits
    daemons = Array(repeating: nil, count: ports.count)
  }

  /// Runs `body` with a cluster of `nodes`, of which those in `started` (by default all) are
  /// running; the others start with ``start(_:)``.
  static func withCluster<Result>(
    nodes: Int, leaseTTL: Duration = .seconds(2), in scratch: URL, lab: NetworkLab? = nil,
    started: [Int]? = nil, fileSizeLimits: [Int: Int] = [:],
    _ body: (ClusterOfDaemons) async throws -> Result
  ) async throws -> Result {
    try await EtcdProcess.withEtcd(
      alsoListeningOn: lab?.hostAddress,
      serves: { port in
        ((try? RawSocket.httpGet(port: port, path: "/health"))?.body.contains("\"true\"")) ?? false
      }
    ) { etcd in
      let cluster = ClusterOfDaemons(
        etcd: etcd, scratch: scratch, leaseTTL: leaseTTL,
        ports: try (0..<nodes).map { _ in try EtcdProcess.freePort() },
        lab: lab, fileSizeLimits: fileSizeLimits)
      defer { cluster.killAll() }
      for node in started ?? Array(0..<nodes) { try await cluster.start(node) }
      return try await body(cluster)
    }
  }

  func nodeID(_ node: Int) -> String { "n\(node + 1)" }
  func address(_ node: Int) -> String { "\(serverAddress(node))" }
  func serverAddress(_ node: Int) -> ServerAddress {
    ServerAddress(host: lab?.address(node) ?? "127.0.0.1", port: ports[node])
  }

  func start(_ node: Int) async throws {
    daemons[node] = try await Daemon.start(
      dataDirectory: scratch.appendingPathComponent(nodeID(node)), listen: address(node),
      [
        "--coordinator", "etcd://\(lab?.hostAddress ?? "127.0.0.1"):\(etcd.clientPort)",
        "--cluster", Self.cluster, "--node-id", nodeID(node), "--advertise", address(node),
        "--lease-ttl", "\(leaseTTL.components.seconds)s", "--sync", "never", "--replica-timeout", "1s",
      ], fileSizeLimit: fileSizeLimits[node], launcher: lab?.inNamespace(node, []) ?? [])
  }

  /// The lab the nodes run in, for a fault that cuts links.
  func requireLab() throws -> NetworkLab {
    guard let lab else { throw E2EFailure("this cluster runs without a network lab") }
    return lab
  }

  func daemon(_ node: Int) throws -> Daemon {
    guard let daemon = daemons[node] else { throw E2EFailure("node \(nodeID(node)) is not running") }
    return daemon
  }

  /// The cluster as `node` sees it.
  func status(from node: Int) async throws -> ClusterStatus {
    try await daemon(node).withClient { try await $0.clusterStatus() }
  }

  /// Polls the running nodes' views until `condition` holds for `node`'s, or `limit` passes;
  /// returns that view and how long it took.
  func waitForStatus(
    from node: Int, within limit: Duration, _ condition: (ClusterStatus) -> Bool
  ) async throws -> (ClusterStatus, Duration) {
    let started = ContinuousClock.now
    var last: ClusterStatus?
    while ContinuousClock.now - started < limit {
      if let status = try? await status(from: node) {
        last = status
        if condition(status) { return (status, ContinuousClock.now - started) }
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    throw E2EFailure(
      "node \(nodeID(node)) did not see the expected cluster within \(limit): \(String(describing: last))")
  }

  /// The index of the node named `id`.
  func node(named id: String) throws -> Int {
    guard let index = (0..<ports.count).first(where: { nodeID($0) == id }) else { throw E2EFailure("no node \(id)") }
    return index
  }

  /// Appends `payload` through `node`, trying again while the cluster refuses writes (no leader
  /// yet, or too few nodes in sync), for up to 20 s.
  func appendEventually(_ payload: Data, to topic: String, through node: Int) async throws -> AppendResult {
    let deadline = ContinuousClock.now + .seconds(20)
    while true {
      do {
        return try await daemon(node).withClient { try await $0.append([payload], to: topic) }
      } catch let error as GoetheError where error.code == .unavailable && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(100))
      }
    }
  }

  func kill(_ node: Int) async throws {
    _ = try await daemon(node).crash()
    daemons[node] = nil
  }

  private func killAll() {
    for daemon in daemons { daemon?.killIfRunning() }
  }
}
