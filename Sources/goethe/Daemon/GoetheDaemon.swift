import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
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
  let metrics: ServerMetrics
  let logger: Logger

  func run() async throws {
    let health = HealthService()
    let transport = HTTP2ServerTransport.Posix(
      address: configuration.listen.socketAddress, transportSecurity: .plaintext,
      config: .defaults { $0.rpc.maxRequestPayloadSize = max(16 << 20, configuration.maxEventSize.bytes + (1 << 20)) })
    let service = GoetheService(store: store, autoCreateTopics: configuration.autoCreateTopics, metrics: metrics)
    let server = GRPCServer(transport: transport, services: [service, health])

    try await withGracefulShutdownHandler {
      try await withThrowingDiscardingTaskGroup { group in
        group.addTask {
          do {
            try await server.serve()
          } catch {
            throw GoetheError(
              .unavailable, "cannot serve on \(configuration.listen): \(Self.describe(error)); choose another --listen")
          }
        }
        // If binding failed, serve() reports why; the address is only there once bound.
        guard let address = try? ServerAddress(try await transport.listeningAddress) else { return }
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

  private static func describe(_ error: any Error) -> String {
    let text = String(reflecting: error)
    if text.contains("Address already in use") { return "the address is already in use (is another goethe running?)" }
    if text.contains("Cannot assign requested address") { return "no interface has that address" }
    if text.contains("Permission denied") { return "permission denied" }
    return "\(error)"
  }

  private static func exitOnSecondSignal(logger: Logger) async {
    for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
      logger.warning("second signal \(signal): exiting at once")
      exit(signal == .sigint ? 130 : 143)
    }
  }
}

extension ServerAddress {
  var socketAddress: GRPCNIOTransportCore.SocketAddress {
    isIPv6 ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port)
  }

  init(_ address: GRPCNIOTransportCore.SocketAddress) throws {
    if let ipv4 = address.ipv4 {
      self.init(host: ipv4.host, port: ipv4.port)
    } else if let ipv6 = address.ipv6 {
      self.init(host: ipv6.host, port: ipv6.port)
    } else {
      throw GoetheError(.internalError, "unexpected listening address \(address)")
    }
  }
}
