import Foundation
import GoetheKit
import Logging
import ServiceLifecycle
import UnixSignals

/// The gRPC server as a service: serves until graceful shutdown, which marks health NOT_SERVING,
/// stops accepting calls, lets appends in flight finish and ends waiting streams with UNAVAILABLE.
/// A second SIGTERM or SIGINT during the drain exits at once; acknowledged events are already stored.
struct GoetheDaemon: Service {
  let configuration: DaemonConfiguration
  let store: any GoetheStore
  let logger: Logger
  let health = HealthService()
  private let server: GoetheServer
  private let forwarder: LeaderForwarder?
  private let exitsOnSecondSignal: Bool

  init(
    configuration: DaemonConfiguration, transport: TransportSettings, socket: consuming ListeningSocket,
    tls: ServerTLS?, access: AccessControl, store: any GoetheStore, role: ClusterRole, gossip: HealthGossip,
    replication: Replication?, metrics: ServerMetrics, exitsOnSecondSignal: Bool, logger: Logger
  ) {
    self.configuration = configuration
    self.store = store
    self.logger = logger
    self.exitsOnSecondSignal = exitsOnSecondSignal
    var service = GoetheService(
      store: store, autoCreateTopics: configuration.autoCreateTopics, metrics: metrics, role: role)
    service.v1ConsumeFollows = configuration.v1ConsumeFollows
    service.access = access
    // Under an auth file a follower does not forward: the leader would see the follower, not the
    // caller's certificate. The caller is sent to the leader instead.
    if replication != nil, access.path == nil {
      service.forwarder = LeaderForwarder(peerTLS: configuration.peerTLS, maxResponseSize: transport.maxRequestSize)
    }
    forwarder = service.forwarder
    // The health service stays open: load balancers and orchestrators check it without credentials.
    var services: [any RPCService] = [service, health, ClusterService(gossip: gossip, access: access)]
    if let replication { services.append(ReplicationService(follower: replication.follower, access: access)) }
    server = GoetheServer(socket: socket, services: services, settings: transport, tls: tls)
  }

  /// The address the server listens on, once it does; nil if it could not serve.
  var listeningAddress: ServerAddress? {
    get async { await server.listeningAddress }
  }

  func run() async throws {
    try await withGracefulShutdownHandler {
      try await withThrowingDiscardingTaskGroup { group in
        group.addTask {
          defer { forwarder?.close() }
          do {
            try await server.serve()
          } catch {
            throw GoetheError(.unavailable, "cannot serve on \(configuration.listen): \(error)")
          }
        }
        // If serving failed, serve() reports why; the address is only there once it listens.
        guard let address = await server.listeningAddress else { return }
        logger.info(
          "goethe listening",
          metadata: [
            "listen": "\(address)", "data-dir": "\(configuration.dataDirectory)",
            "sync": "\(configuration.durability.rawValue)", "node": "\(store.nodeID)",
            "tls": "\(configuration.tlsMode)", "auth": "\(configuration.authFile == nil ? "off" : "on")",
          ])
      }
    } onGracefulShutdown: {
      logger.info("goethe shutting down")
      health.markNotServing()
      // Ending the waiting streams first makes them end with UNAVAILABLE, not as cancelled calls.
      store.endWaits()
      server.beginGracefulShutdown()
      if exitsOnSecondSignal { Task { await Self.exitOnSecondSignal(logger: logger) } }
    }
  }

  private static func exitOnSecondSignal(logger: Logger) async {
    for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
      logger.warning("second signal \(signal): exiting at once")
      exit(signal == .sigint ? 130 : 143)
    }
  }
}
