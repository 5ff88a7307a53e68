package import GRPCCore
package import NIOCore
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// GoetheKit's gRPC transport: calls to one server as streams of one HTTP/2 connection, each
/// driven by a ``ClientStreamHandler`` on the connection's event loop.
///
/// A caller's task hands its request to the event loop without waiting for it, and waits once
/// per response part, only when the part has not arrived yet, so that a unary call costs one
/// switch between threads each way (see docs/performance.md). It is a complete gRPC client under
/// GRPCCore's `GRPCClient`: metadata, deadlines (`grpc-timeout` and cancellation), status and
/// trailers, flow control both ways, cancellation with RST_STREAM.
///
/// It connects when the first call needs it, and again after the connection closed or the
/// server sent GOAWAY. A call that finds no connection and cannot make one fails at once with
/// UNAVAILABLE ("could not establish a connection"): calls do not wait for a server to come up.
package final class GoetheClientTransport: ClientTransport {
  package typealias Bytes = GRPCFrameBytes

  private struct State {
    var connection: EventLoopFuture<HTTP2ClientConnection>?
    /// The connection once it is ready.
    var ready: HTTP2ClientConnection?
    /// Every open connection, the one calls go to and those that took no new calls any more
    /// (after GOAWAY) but still carry calls, to close them all when the transport stops.
    var open: [ObjectIdentifier: any Channel] = [:]
    var openCalls = 0
    var shuttingDown = false
    /// Stopped at once (cancelled): no waiting for calls, no new connections.
    var stopped = false
    /// `connect()`, waiting for the shutdown.
    var running: CheckedContinuation<Void, Never>?
  }

  /// The server the calls go to.
  let target: ServerAddress
  private let tls: NIOSSLContext?
  private let maxResponseSize: Int
  private let group: any EventLoopGroup
  private let state = Mutex(State())

  /// The largest response message accepted unless told otherwise. Above gRPC's usual 4 MiB: a
  /// daemon takes events as large as its `--max-event-size`, and a subscription sends such an
  /// event in one message, as v1 `Produce` sends it back.
  package static let defaultMaxResponseSize = 64 << 20

  /// - Parameters:
  ///   - tls: TLS, or nil for plaintext; its files are read here, so unusable ones throw.
  ///   - maxResponseSize: the largest response message accepted.
  package init(
    target: ServerAddress, tls: ClientSecurity.TLS?, maxResponseSize: Int = defaultMaxResponseSize,
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) throws {
    self.target = target
    self.tls = try tls.map { try NIOSSLContext(configuration: $0.configuration) }
    self.maxResponseSize = maxResponseSize
    self.group = group
  }

  /// Whether a connection is ready for new calls: none before the first call, nor after the
  /// server sent GOAWAY or the connection closed.
  var hasReadyConnection: Bool { state.withLock { $0.ready != nil } }

  package var retryThrottle: RetryThrottle? { nil }

  package func config(forMethod descriptor: MethodDescriptor) -> MethodConfig? { nil }

  /// Runs until ``beginGracefulShutdown()`` and the calls that were open then have ended, or
  /// until cancelled, then closes every connection.
  package func connect() async throws {
    await withTaskCancellationHandler {
      await withCheckedContinuation { running in
        let stopped = state.withLock { state in
          if state.stopped || (state.shuttingDown && state.openCalls == 0) { return true }
          state.running = running
          return false
        }
        if stopped { running.resume() }
      }
    } onCancel: {
      stop()
    }
    closeConnections()
  }

  package func beginGracefulShutdown() {
    let running = state.withLock { state in
      state.shuttingDown = true
      return state.openCalls == 0 ? state.running.take() : nil
    }
    running?.resume()
  }

  /// Stops at once: `connect()` returns and closes the connections, whatever calls are open.
  private func stop() {
    let running = state.withLock { state in
      state.shuttingDown = true
      state.stopped = true
      return state.running.take()
    }
    running?.resume()
  }

  package func withStream<T: Sendable>(
    descriptor: MethodDescriptor, options: CallOptions,
    _ closure: (RPCStream<Inbound, Outbound>, ClientContext) async throws -> T
  ) async throws -> T {
    try state.withLock { state throws(RPCError) in
      guard !state.shuttingDown else {
        throw RPCError(code: .failedPrecondition, message: "the client is shutting down")
      }
      state.openCalls += 1
    }
    defer { callEnded() }
    let deadline = CallDeadline.current ?? options.timeout.map { ContinuousClock.now + $0 }
    let request = ClientStreamHandler.Request(
      path: "/" + descriptor.fullyQualifiedMethod, authority: target.description,
      scheme: tls == nil ? "http" : "https", deadline: deadline)
    let (connection, opened) = try await openStream(request)
    defer { opened.cancel() }
    let stream = RPCStream(
      descriptor: descriptor, inbound: RPCAsyncSequence(wrapping: opened.responses),
      outbound: RPCWriter.Closable(wrapping: opened))
    let context = ClientContext(
      descriptor: descriptor, remotePeer: connection.remotePeer, localPeer: connection.localPeer)
    return try await closure(stream, context)
  }

  /// A new stream for `request`, on the open connection or a new one. A connection that closed
  /// meanwhile is forgotten for a new one (nothing was sent on it, so the call is as good as
  /// new); one that closes later, before the call's first part is sent, refuses the call
  /// (``StreamRefused``), which callers may send again.
  private func openStream(_ request: ClientStreamHandler.Request) async throws -> (HTTP2ClientConnection, ClientStream)
  {
    var attempt = 1
    while true {
      let connection = try await connection().cancellableValue(
        until: request.deadline, what: "connecting to \(target)")
      guard !connection.channel.isActive, attempt < 2 else {
        return (connection, connection.stream(for: request, maxResponseSize: maxResponseSize))
      }
      forget(connection)
      attempt += 1
    }
  }

  private func callEnded() {
    let running = state.withLock { state in
      state.openCalls -= 1
      return state.shuttingDown && state.openCalls == 0 ? state.running.take() : nil
    }
    running?.resume()
  }

  /// The connection calls go to: the open one, the one being made, or a new one.
  private func connection() throws(RPCError) -> EventLoopFuture<HTTP2ClientConnection> {
    try state.withLock { state throws(RPCError) in
      if let connection = state.connection { return connection }
      guard !state.stopped else { throw RPCError(code: .failedPrecondition, message: "the client has stopped") }
      let connection = HTTP2ClientConnection.connect(to: target, tls: tls, on: group) { [weak self] gone in
        self?.forget(gone)
      }
      state.connection = connection
      connection.whenComplete { [weak self] result in self?.settle(connection, result) }
      return connection
    }
  }

  /// A connection attempt ended: a ready connection is kept (and closed at once if the
  /// transport stopped meanwhile), a failed attempt is not (the next call tries again).
  private func settle(
    _ attempt: EventLoopFuture<HTTP2ClientConnection>, _ result: Result<HTTP2ClientConnection, any Error>
  ) {
    guard case .success(let connection) = result else {
      return state.withLock { state in
        if state.connection === attempt { state.connection = nil }
      }
    }
    let id = ObjectIdentifier(connection.channel)
    let stopped = state.withLock { state in
      guard !state.stopped else { return true }
      state.open[id] = connection.channel
      if state.connection === attempt { state.ready = connection }
      return false
    }
    if stopped { return connection.channel.close(mode: .all, promise: nil) }
    connection.channel.closeFuture.whenComplete { [weak self] _ in
      _ = self?.state.withLock { $0.open.removeValue(forKey: id) }
    }
  }

  /// A connection that takes no new calls is forgotten; the next call connects again.
  private func forget(_ gone: HTTP2ClientConnection) {
    state.withLock { state in
      guard state.ready === gone else { return }
      state.ready = nil
      state.connection = nil
    }
  }

  /// Closes every open connection, which ends the calls they still carry; an attempt to connect
  /// that is still under way is closed when it ends (a call that gave up on it left it behind).
  private func closeConnections() {
    let channels = state.withLock { state in
      state.stopped = true
      state.ready = nil
      state.connection = nil
      return Array(state.open.values)
    }
    for channel in channels { channel.close(mode: .all, promise: nil) }
  }

}

extension ClientSecurity.TLS {
  /// The client's TLS: the server's certificate verified against the CA given (or the system's
  /// roots) and the address dialled, HTTP/2 by ALPN, and the client's certificate when given.
  var configuration: TLSConfiguration {
    get throws {
      var configuration = TLSConfiguration.makeClientConfiguration()
      configuration.applicationProtocols = ["h2"]
      if let certificateAuthority {
        configuration.trustRoots = .file(certificateAuthority)
      }
      if let certificate, let key {
        configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
      }
      return configuration
    }
  }
}
