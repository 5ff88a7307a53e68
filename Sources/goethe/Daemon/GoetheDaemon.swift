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
  let store: EventStore
  let logger: Logger
  private let health = HealthService()
  private let server: GoetheServer

  init(
    configuration: DaemonConfiguration, socket: consuming ListeningSocket, store: EventStore, metrics: ServerMetrics,
    logger: Logger
  ) {
    self.configuration = configuration
    self.store = store
    self.logger = logger
    var service = GoetheService(store: store, autoCreateTopics: configuration.autoCreateTopics, metrics: metrics)
    service.v1ConsumeFollows = configuration.v1ConsumeFollows
    server = GoetheServer(socket: socket, services: [service, health], settings: configuration.transportSettings)
  }

  func run() async throws {
    try await withGracefulShutdownHandler {
      try await withThrowingDiscardingTaskGroup { group in
        group.addTask {
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
          ])
      }
    } onGracefulShutdown: {
      logger.info("goethe shutting down")
      health.markNotServing()
      // Ending the waiting streams first makes them end with UNAVAILABLE, not as cancelled calls.
      store.notifier.close()
      server.beginGracefulShutdown()
      Task { await Self.exitOnSecondSignal(logger: logger) }
    }
  }

  private static func exitOnSecondSignal(logger: Logger) async {
    for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
      logger.warning("second signal \(signal): exiting at once")
      exit(signal == .sigint ? 130 : 143)
    }
  }
}
