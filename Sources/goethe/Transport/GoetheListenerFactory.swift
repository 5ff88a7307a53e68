import GRPCNIOTransportCore
import NIOCore
import NIOPosix

/// Accepts the daemon's connections on its already bound socket and puts an
/// ``HTTP2ConnectionGuard`` in front of each connection's HTTP/2 handler.
struct GoetheListenerFactory: HTTP2ServerTransport.ListenerFactory {
  let eventLoopGroup: any EventLoopGroup
  /// The bound and listening socket, which the listening channel takes over.
  let descriptor: CInt
  let prefaceTimeout: TimeAmount

  func makeListeningChannel(
    listenerConfigurator: HTTP2ServerTransport.ListenerConfigurator,
    connectionConfigurator: HTTP2ServerTransport.ConnectionConfigurator
  ) async throws -> NIOAsyncChannel<HTTP2ServerTransport.ConnectionConfigurator.ConnectionChannel, Never> {
    let prefaceTimeout = prefaceTimeout
    return try await ServerBootstrap(group: eventLoopGroup)
      .serverChannelInitializer { channel in listenerConfigurator.configure(channel: channel) }
      .bind(descriptor) { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(HTTP2ConnectionGuard(prefaceTimeout: prefaceTimeout))
        }.flatMap {
          connectionConfigurator.configure(channel: channel, tls: .none)
        }
      }
  }
}
