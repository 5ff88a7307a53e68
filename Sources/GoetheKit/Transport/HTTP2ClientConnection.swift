import GRPCCore
import NIOCore
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// One HTTP/2 connection to a server, which carries calls as streams. It is ready once the
/// server's SETTINGS arrived, so that a server that accepts TCP but does not speak HTTP/2 (or
/// TLS, or refuses the client's certificate) fails the connection rather than its first call.
final class HTTP2ClientConnection: Sendable {
  let channel: any Channel
  private let streams: NIOLoopBound<ClientConnectionHandler>
  /// The last stream the server's GOAWAY said it serves, once one came: it processed none after.
  private let lastServedStream = Atomic<Int32>(.max)

  private init(channel: any Channel, streams: ClientConnectionHandler) {
    self.channel = channel
    self.streams = NIOLoopBound(streams, eventLoop: channel.eventLoop)
  }

  /// Whether the server said, by GOAWAY, that it will not process the stream `id`.
  func refusedByGoAway(_ id: HTTP2StreamID) -> Bool {
    Int32(id) > lastServedStream.load(ordering: .relaxed)
  }

  /// The server's address and the client's, once connected (for `ClientContext`).
  var remotePeer: String { Self.describe(channel.remoteAddress) }
  var localPeer: String { Self.describe(channel.localAddress) }

  /// How long connecting may take, TLS and HTTP/2's greeting included.
  static let connectTimeout = TimeAmount.seconds(10)

  /// The largest DATA frame the server may send: a batch of events (up to 1 MiB) in few frames,
  /// rather than HTTP/2's default of 16 KiB, which costs both sides a frame's work every 16 KiB.
  static let maxFrameSize = 1 << 20

  /// Connects to `target`; `onGone` is told when the connection stops taking new calls (the
  /// server sent GOAWAY, or it closed).
  static func connect(
    to target: ServerAddress, tls: NIOSSLContext?, on group: any EventLoopGroup,
    onGone: @escaping @Sendable (HTTP2ClientConnection) -> Void
  ) -> EventLoopFuture<HTTP2ClientConnection> {
    let eventLoop = group.next()
    let ready = eventLoop.makePromise(of: HTTP2ClientConnection.self)
    let hostname = target.host.isIPAddress ? nil : target.host
    let connected = ClientBootstrap(group: eventLoop)
      .channelOption(.socketOption(.tcp_nodelay), value: 1)
      .connectTimeout(connectTimeout)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          let pipeline = channel.pipeline.syncOperations
          if let tls { try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname)) }
          try pipeline.addHandler(
            NIOHTTP2Handler(
              mode: .client, frameDelegate: ClosingAfterGoAway(channel),
              connectionConfiguration: HTTP2Tuning.connection(announcing: [
                HTTP2Setting(parameter: .enablePush, value: 0),
                HTTP2Setting(parameter: .maxFrameSize, value: maxFrameSize),
              ]), streamConfiguration: HTTP2Tuning.streams))
          let streams = ClientConnectionHandler(targetWindow: HTTP2Tuning.windowSize)
          try pipeline.addHandler(streams)
          let connection = HTTP2ClientConnection(channel: channel, streams: streams)
          try pipeline.addHandler(
            ConnectionWatcher(ready: ready, connection: connection, target: target, onGone: onGone))
        }
      }
      .connect(host: target.host, port: target.port)
    connected.whenFailure { error in
      ready.fail(
        RPCError(
          code: .unavailable, message: "could not establish a connection to \(target): \(error)", cause: error))
    }
    let timeout = eventLoop.scheduleTask(in: connectTimeout) {
      ready.fail(
        RPCError(code: .unavailable, message: "could not establish a connection to \(target): timed out"))
    }
    ready.futureResult.whenComplete { result in
      timeout.cancel()
      if case .failure = result { connected.whenSuccess { $0.close(promise: nil) } }
    }
    return ready.futureResult
  }

  /// A stream for one call; it opens on the connection when the call sends its first part.
  func stream(for request: ClientStreamHandler.Request, maxResponseSize: Int) -> ClientStream {
    let streams = self.streams
    let eventLoop = channel.eventLoop
    return ClientStream(on: eventLoop) { [self] queue, writability in
      ClientStreamHandler(
        request: request, queue: queue, writability: writability, maxResponseSize: maxResponseSize,
        connection: streams.value, eventLoop: eventLoop, refusedByGoAway: refusedByGoAway)
    }
  }

  /// Notes a GOAWAY. Only a graceful one (NO_ERROR) is taken at its word: swift-nio-http2, on
  /// which Goethe's server runs, answers a peer it takes for an attacker (too many resets, say)
  /// with GOAWAY naming stream 0 whatever it has processed, so calls sent again after such an
  /// answer could be processed twice.
  fileprivate func notedGoAway(_ lastStreamID: HTTP2StreamID, code: HTTP2ErrorCode) {
    guard code == .noError else { return }
    lastServedStream.store(min(Int32(lastStreamID), lastServedStream.load(ordering: .relaxed)), ordering: .relaxed)
  }

  private static func describe(_ address: NIOCore.SocketAddress?) -> String {
    switch address {
    case .v4(let inner)?: "ipv4:\(inner.host):\(address?.port ?? 0)"
    case .v6(let inner)?: "ipv6:[\(inner.host)]:\(address?.port ?? 0)"
    case .unixDomainSocket?, nil: "unknown"
    }
  }
}

/// Watches a connection's own frames and end: readiness at the server's first SETTINGS, GOAWAY,
/// stream ids that ran out, and why it failed.
private final class ConnectionWatcher: ChannelInboundHandler {
  typealias InboundIn = HTTP2Frame

  private let ready: EventLoopPromise<HTTP2ClientConnection>
  private let connection: HTTP2ClientConnection
  private let target: ServerAddress
  private let onGone: @Sendable (HTTP2ClientConnection) -> Void
  private var isReady = false
  private var failure: (any Error)?

  init(
    ready: EventLoopPromise<HTTP2ClientConnection>, connection: HTTP2ClientConnection, target: ServerAddress,
    onGone: @escaping @Sendable (HTTP2ClientConnection) -> Void
  ) {
    self.ready = ready
    self.connection = connection
    self.target = target
    self.onGone = onGone
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if event is ClientConnectionHandler.StreamIDsExhausted { onGone(connection) }
    context.fireUserInboundEventTriggered(event)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data).payload {
    case .settings(.settings) where !isReady:
      isReady = true
      ready.succeed(connection)
    case .goAway(let lastStreamID, let code, _):
      connection.notedGoAway(lastStreamID, code: code)
      onGone(connection)
    default:
      break
    }
    context.fireChannelRead(data)
  }

  /// Before the connection is ready, any error ends the attempt. After, an error is left to
  /// NIOHTTP2, which reports a stream's errors here too: it resets that stream alone, and sends
  /// GOAWAY for the connection's, after which calls go to a new connection.
  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    failure = failure ?? error
    if !isReady { context.close(promise: nil) }
  }

  func channelInactive(context: ChannelHandlerContext) {
    if !isReady {
      let reason = failure.map { "\($0)" } ?? "the server closed the connection"
      ready.fail(
        RPCError(
          code: .unavailable, message: "could not establish a connection to \(target): \(reason)", cause: failure))
    }
    onGone(connection)
    context.fireChannelInactive()
  }
}

/// Closes a connection on which swift-nio-http2 sent GOAWAY. The client sends none of its own:
/// swift-nio-http2 does when it finds a connection error (a frame the server should not have
/// sent, a server it takes for an attacker), and then leaves the connection open, where new
/// calls would go that the server will not serve. Closed, it fails its calls, and the next call
/// connects again.
private final class ClosingAfterGoAway: NIOHTTP2FrameDelegate {
  private weak var channel: (any Channel)?

  init(_ channel: any Channel) { self.channel = channel }

  func wroteFrame(_ frame: HTTP2Frame) {
    guard case .goAway = frame.payload, let channel else { return }
    // Once the HTTP/2 handler has flushed the GOAWAY and reported its error.
    channel.eventLoop.execute { channel.close(promise: nil) }
  }
}

extension String {
  /// Whether this is an IPv4 or IPv6 address rather than a name.
  fileprivate var isIPAddress: Bool { (try? NIOCore.SocketAddress(ipAddress: self, port: 0)) != nil }
}
