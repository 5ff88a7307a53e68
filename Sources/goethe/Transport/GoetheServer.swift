import GoetheKit
import NIOCore
import NIOHTTP2
import NIOPosix
import Synchronization

/// How the daemon's connections are served.
struct TransportSettings: Sendable, Equatable {
  /// The largest request message accepted, in bytes.
  var maxRequestSize = 16 << 20
  /// The most bytes of requests not yet handled that the server holds over all its connections
  /// (``RequestMemory``).
  var requestMemoryLimit = 1 << 30
  /// A connection without calls for this long is closed with GOAWAY; nil keeps it open.
  var idleTimeout: Duration? = .seconds(30 * 60)
  /// A connection must open with the HTTP/2 preface within this time.
  var handshakeTimeout: Duration = .seconds(10)
  /// How long a graceful shutdown waits for open calls before it closes their connections.
  var shutdownTimeout: Duration = .seconds(10)
  /// When a silent connection is sent a PING, and how soon its peer must answer.
  var keepalive = ConnectionManager.Keepalive()
}

/// Goethe's gRPC server, directly on swift-nio-http2: each connection is the
/// ``HTTP2ConnectionGuard``, the HTTP/2 handler, a ``GRPCConnectionHandler`` that serves each
/// stream as one ``GRPCCall``, and a ``ConnectionManager``. A call's handler runs on its connection's event loop, so a
/// unary call costs no thread hop between its request and its response. With ``ServerTLS`` a
/// connection begins with the ``TLSDetector``, which puts TLS in front of the rest.
final class GoetheServer: Sendable {
  private let methods: [String: RPCMethod]
  private let settings: TransportSettings
  private let tls: ServerTLS?
  private let descriptor: Mutex<CInt?>
  private let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  private let calls = CallTracker()
  private let requestMemory: RequestMemory
  private let state = Mutex(State())

  private struct State {
    var listener: (any Channel)?
    var connections: [ObjectIdentifier: any Channel] = [:]
    /// Set once graceful shutdown begins: when connections close, whatever is open in them.
    var shutdownDeadline: NIODeadline?
    /// The bound address once known (nil inside: serving failed).
    var address: ServerAddress??
    var addressWaiters: [CheckedContinuation<ServerAddress?, Never>] = []
  }

  init(socket: consuming ListeningSocket, services: [any RPCService], settings: TransportSettings, tls: ServerTLS?) {
    descriptor = Mutex(socket.take())
    methods = services.reduce(into: [:]) { methods, service in methods.merge(service.methods) { first, _ in first } }
    self.settings = settings
    self.tls = tls
    requestMemory = RequestMemory(limit: settings.requestMemoryLimit)
  }

  deinit {
    if let descriptor = descriptor.withLock({ $0 }) { _ = ListeningSocket(adopting: descriptor) }
  }

  /// Where the server listens, once it does; nil if it could not serve.
  var listeningAddress: ServerAddress? {
    get async {
      await withCheckedContinuation { continuation in
        let known = state.withLock { state -> ServerAddress?? in
          if state.address == nil { state.addressWaiters.append(continuation) }
          return state.address
        }
        if let known { continuation.resume(returning: known) }
      }
    }
  }

  private func resolveAddress(_ address: ServerAddress?) {
    let waiters = state.withLock { state in
      state.address = .some(address)
      defer { state.addressWaiters.removeAll() }
      return state.addressWaiters
    }
    for waiter in waiters { waiter.resume(returning: address) }
  }

  /// Serves until ``beginGracefulShutdown()`` has drained every connection and every call's
  /// handler has ended; throws if it cannot serve.
  func serve() async throws {
    guard let descriptor = descriptor.withLock({ $0.take() }) else {
      throw GoetheError(.internalError, "the server was started twice")
    }
    let listener: any Channel
    do {
      listener = try await ServerBootstrap(group: group)
        .childChannelInitializer { [self] channel in
          channel.eventLoop.makeCompletedFuture { try configure(connection: channel) }
        }
        .withBoundSocket(descriptor).get()
    } catch {
      resolveAddress(nil)
      throw error
    }
    let shuttingDown = state.withLock { state in
      state.listener = listener
      return state.shutdownDeadline != nil
    }
    resolveAddress(listener.localAddress.flatMap { try? ServerAddress($0) })
    if shuttingDown { beginGracefulShutdown() }
    try await withTaskCancellationHandler {
      try await listener.closeFuture.get()
      await waitForConnections()
      await calls.waitUntilIdle()
    } onCancel: {
      beginGracefulShutdown()
    }
  }

  /// Stops accepting connections and drains the open ones: each gets GOAWAY and closes once its
  /// calls have ended, or at the shutdown timeout. Streaming calls take no more requests.
  func beginGracefulShutdown() {
    let (listener, connections, deadline) = state.withLock { state in
      let deadline = state.shutdownDeadline ?? .now() + TimeAmount(settings.shutdownTimeout)
      state.shutdownDeadline = deadline
      return (state.listener, Array(state.connections.values), deadline)
    }
    listener?.close(promise: nil)
    for connection in connections {
      connection.triggerUserOutboundEvent(ConnectionManager.ShutdownEvent(deadline: deadline), promise: nil)
    }
  }

  private func configure(connection channel: any Channel) throws {
    let peer = ConnectionPeer()
    guard let tls else { return try configureHTTP2(channel, peer: peer) }
    try channel.pipeline.syncOperations.addHandler(
      TLSDetector(sslContext: tls.sslContext, peer: peer, timeout: TimeAmount(settings.handshakeTimeout)) { [self] in
        try configureHTTP2(channel, peer: peer)
      })
  }

  /// The HTTP/2 part of a connection's pipeline, at its end (behind TLS, if any); the preface
  /// deadline covers the TLS handshake as well.
  private func configureHTTP2(_ channel: any Channel, peer: ConnectionPeer) throws {
    let pipeline = channel.pipeline.syncOperations
    try pipeline.addHandler(HTTP2ConnectionGuard(prefaceTimeout: TimeAmount(settings.handshakeTimeout)))
    let calls = GRPCCall.Configuration(
      methods: methods, maxRequestSize: settings.maxRequestSize,
      executor: EventLoopTaskExecutor(eventLoop: channel.eventLoop), calls: self.calls, requestMemory: requestMemory,
      peer: peer)
    try pipeline.addHandler(
      NIOHTTP2Handler(
        mode: .server,
        connectionConfiguration: HTTP2Tuning.connection(announcing: [
          HTTP2Setting(parameter: .maxConcurrentStreams, value: 1024)
        ]), streamConfiguration: HTTP2Tuning.streams))
    try pipeline.addHandler(GRPCConnectionHandler(calls, targetWindow: HTTP2Tuning.windowSize))
    try pipeline.addHandler(
      ConnectionManager(idleTimeout: settings.idleTimeout.map { TimeAmount($0) }, keepalive: settings.keepalive))
    track(channel)
  }

  /// Remembers an open connection, to drain it at shutdown; a connection that arrives during
  /// shutdown is drained at once.
  private func track(_ channel: any Channel) {
    let id = ObjectIdentifier(channel)
    let shutdownDeadline = state.withLock { state in
      state.connections[id] = channel
      return state.shutdownDeadline
    }
    channel.closeFuture.whenComplete { [self] _ in
      _ = state.withLock { $0.connections.removeValue(forKey: id) }
    }
    if let shutdownDeadline {
      channel.triggerUserOutboundEvent(ConnectionManager.ShutdownEvent(deadline: shutdownDeadline), promise: nil)
    }
  }

  private func waitForConnections() async {
    while let connection = state.withLock({ $0.connections.values.first }) {
      try? await connection.closeFuture.get()
    }
  }
}

extension ServerAddress {
  init(_ address: NIOCore.SocketAddress) throws {
    guard let host = address.ipAddress, let port = address.port else {
      throw GoetheError(.internalError, "unexpected listening address \(address)")
    }
    self.init(host: host, port: port)
  }
}
