import GRPCCore
import GRPCNIOTransportCore
import GoetheKit
import NIOCore
import NIOPosix

/// How the daemon's connections are served.
struct TransportSettings: Sendable, Equatable {
  /// The largest request message accepted, in bytes.
  var maxRequestSize = 16 << 20
  /// A connection without calls for this long is closed with GOAWAY; nil keeps it open.
  var idleTimeout: Duration? = .seconds(30 * 60)
  /// A connection must open with the HTTP/2 preface within this time.
  var handshakeTimeout: Duration = .seconds(10)
}

/// The gRPC server as the daemon runs it (and as the RPC tests run it): the services behind the
/// deadline interceptor, on a transport that guards each connection, on an already bound socket.
struct GoetheServer: Sendable {
  typealias Transport = HTTP2ServerTransport.Custom<GoetheListenerFactory>

  private let server: GRPCServer<Transport>
  private let transport: Transport

  init(socket: consuming ListeningSocket, services: [any RegistrableRPCService], settings: TransportSettings) {
    var config = Transport.Config.defaults
    config.rpc.maxRequestPayloadSize = settings.maxRequestSize
    config.connection.maxIdleTime = settings.idleTimeout
    // The transport's only hook into each stream's pipeline; the limit answers before gRPC's does.
    let limit = settings.maxRequestSize
    config.channelDebuggingCallbacks.onAcceptHTTP2Stream = { stream in
      stream.eventLoop.makeCompletedFuture {
        try stream.pipeline.syncOperations.addHandler(RequestSizeLimit(limit: limit), position: .first)
      }
    }
    transport = Transport(
      listenerFactory: GoetheListenerFactory(
        eventLoopGroup: MultiThreadedEventLoopGroup.singleton, descriptor: socket.take(),
        prefaceTimeout: TimeAmount(settings.handshakeTimeout)),
      config: config)
    server = GRPCServer(transport: transport, services: services, interceptors: [DeadlineInterceptor()])
  }

  /// Serves until the server shuts down; throws if it cannot serve.
  func serve() async throws { try await server.serve() }

  /// Stops accepting calls and lets the calls in flight finish.
  func beginGracefulShutdown() { server.beginGracefulShutdown() }

  /// Where the server listens, once it does; nil if it stopped or never started.
  var listeningAddress: ServerAddress? {
    get async {
      guard let address = await transport.listeningAddress else { return nil }
      return try? ServerAddress(address)
    }
  }
}

extension ServerAddress {
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
