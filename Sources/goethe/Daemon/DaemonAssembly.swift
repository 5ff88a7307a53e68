import Foundation
import GoetheKit
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals

/// The daemon built from its configuration, in one place: `goethe serve` runs it, and so do the
/// tests, in the same order.
///
/// The address is bound by the caller before this opens the store, so a daemon that cannot serve
/// creates no store. The ServiceGroup runs the gRPC server and, with `--metrics-listen`, the
/// metrics endpoint; on graceful shutdown the daemon reports NOT_SERVING, ends waiting reads and
/// drains its connections. The store is not a service: it closes only after the whole group has
/// stopped, so no read or write outlives it.
struct DaemonAssembly: Sendable {
  /// What a test puts in place of the configuration's: a clock, transport limits, metrics.
  struct Substitutes: Sendable {
    var storeOptions: StoreOptions?
    var transport: TransportSettings?
    var metrics: (any MetricsFactory)?
  }

  let store: any GoetheStore
  let daemon: GoetheDaemon
  /// This node's part in its cluster, which decides whether it takes writes.
  let role: ClusterRole
  /// Who may call what, under the auth file.
  let access: AccessControl
  private let group: ServiceGroup

  /// Opens the store and builds the services. `shutdownSignals` start the graceful shutdown
  /// (and a second one exits at once); tests pass none and call ``shutDown()``. `watchers` follow
  /// the settings while the daemon runs; their end, even by an error, does not stop it. Each of
  /// `hangups` (SIGHUP) rereads the auth file.
  init(
    configuration: DaemonConfiguration, socket: consuming ListeningSocket, shutdownSignals: [UnixSignal],
    logger: Logger, watchers: [any Service] = [], hangups: UnixSignalsSequence? = nil,
    substitutes: Substitutes = Substitutes()
  ) throws(GoetheError) {
    // Credentials first: a daemon that would serve them wrongly must not open its store.
    let tls = try configuration.serverTLS(logger: logger)
    access = try configuration.authFile.map { path throws(GoetheError) in try AccessControl(authFile: path) } ?? .open
    var watchers = watchers
    if let tls { watchers.append(tls.reloader) }
    if let hangups, configuration.authFile != nil {
      watchers.append(AuthFileWatcher(access: access, hangups: hangups, logger: logger))
    }
    store = try EventStore(
      path: configuration.dataDirectory, options: substitutes.storeOptions ?? configuration.storeOptions)
    let registry = PrometheusCollectorRegistry()
    let metricsFactory: any MetricsFactory =
      substitutes.metrics
      ?? (configuration.metricsListen == nil
        ? NOOPMetricsHandler.instance : PrometheusMetricsFactory(registry: registry))
    let member = ClusterMember(
      nodeID: configuration.nodeID ?? store.nodeID, address: configuration.advertise ?? configuration.listen)
    let coordinator: any Coordinator
    do {
      coordinator = try configuration.coordinator.makeCoordinator(
        for: member, configuration.coordinatorContext(environment: ProcessInfo.processInfo.environment),
        logger: logger)
    } catch {
      store.close()
      throw error
    }
    // A cluster of one leads from the start and for good; any other node waits for its election.
    role = ClusterRole(
      configuration.coordinator == .single ? .leader(epoch: 0) : .follower(leader: nil), coordinator: coordinator)
    let gossip = HealthGossip(
      coordinator: coordinator, role: role, store: store, cluster: configuration.clusterName,
      dataDirectory: configuration.dataDirectory, peerTLS: configuration.peerTLS)
    // A cluster of one acknowledges what it stores; in any other, the leader distributes its writes.
    let replication: Replication?
    do {
      replication =
        configuration.coordinator == .single
        ? nil
        : try Replication(
          settings: configuration.replication, store: store, coordinator: coordinator,
          peerTLS: configuration.peerTLS, logger: logger)
    } catch {
      store.close()
      throw error
    }
    let servedStore: any GoetheStore =
      replication.map { [store] in ReplicatedStore(store: store, replication: $0) } ?? store
    daemon = GoetheDaemon(
      configuration: configuration, transport: substitutes.transport ?? configuration.transportSettings, socket: socket,
      tls: tls, access: access, store: servedStore, role: role, gossip: gossip, replication: replication,
      metrics: ServerMetrics(factory: metricsFactory),
      exitsOnSecondSignal: !shutdownSignals.isEmpty, logger: logger)
    if case .leader = role.current { daemon.health.markLeading(true) }
    var services: [any Service] = [
      daemon, gossip, RetentionEnforcer(store: servedStore, interval: configuration.retentionInterval, logger: logger),
    ]
    if let replication {
      services.append(
        LeaderElection(
          coordinator: coordinator, role: role, store: store, replication: replication, health: daemon.health,
          logger: logger))
    }
    if let address = configuration.metricsListen {
      services.append(MetricsEndpoint(address: address, registry: registry, logger: logger))
    }
    let serving = services.map {
      ServiceGroupConfiguration.ServiceConfiguration(
        service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
        failureTerminationBehavior: .gracefullyShutdownGroup)
    }
    let watching = watchers.map {
      ServiceGroupConfiguration.ServiceConfiguration(
        service: $0, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore)
    }
    group = ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: serving + watching,
        gracefulShutdownSignals: shutdownSignals, logger: logger))
  }

  /// Runs the services until they stop, then closes the store.
  func run() async throws {
    defer { store.close() }
    try await group.run()
  }

  /// Starts the graceful shutdown, as SIGTERM does.
  func shutDown() async {
    await group.triggerGracefulShutdown()
  }
}
