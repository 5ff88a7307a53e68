import NIOCore
import NIOHTTP2

/// Manages one HTTP/2 connection's life behind the HTTP/2 handler: closes it once idle, drains it
/// on graceful shutdown, and polices pings that come without calls.
///
/// - **Idle:** with no stream open for `idleTimeout`, it sends GOAWAY and closes.
/// - **Graceful shutdown** (``ShutdownEvent``): GOAWAY names the last stream that will be served;
///   the connection closes once those streams have ended.
/// - **Pings without calls** (gRFC A8): pings answered by the ``HTTP2ConnectionGuard`` never get
///   here, so these came without call traffic. With no stream open, a ping sooner than
///   `minPingInterval` after the previous one is a strike; the third strike ends the connection
///   with GOAWAY `ENHANCE_YOUR_CALM` ("too_many_pings"), as gRPC's servers do.
final class ConnectionManager: ChannelDuplexHandler {
  typealias InboundIn = HTTP2Frame
  typealias InboundOut = HTTP2Frame
  typealias OutboundIn = HTTP2Frame
  typealias OutboundOut = HTTP2Frame

  /// Sent down a connection's pipeline to drain it.
  struct ShutdownEvent: Sendable {}

  static let maxPingStrikes = 2

  private let idleTimeout: TimeAmount?
  private let minPingInterval: TimeAmount
  private var openStreams = 0
  private var lastStreamID = HTTP2StreamID(0)
  private var idleTimer: Scheduled<Void>?
  private var draining = false
  private var lastIdlePing: NIODeadline?
  private var pingStrikes = 0

  init(idleTimeout: TimeAmount?, minPingInterval: TimeAmount = .minutes(5)) {
    self.idleTimeout = idleTimeout
    self.minPingInterval = minPingInterval
  }

  private var context: ChannelHandlerContext?

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    armIdleTimer(context: context)
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    idleTimer?.cancel()
    self.context = nil
  }

  func channelInactive(context: ChannelHandlerContext) {
    idleTimer?.cancel()
    context.fireChannelInactive()
  }

  /// How the HTTP/2 handler tells this manager of its streams (it does not send them down the
  /// pipeline); the manager must be on `eventLoop`.
  func streamDelegate(on eventLoop: any EventLoop) -> any NIOHTTP2StreamDelegate {
    StreamEvents(manager: NIOLoopBound(self, eventLoop: eventLoop))
  }

  fileprivate func streamOpened(_ id: HTTP2StreamID) {
    openStreams += 1
    lastStreamID = max(lastStreamID, id)
    idleTimer?.cancel()
    idleTimer = nil
    pingStrikes = 0
  }

  fileprivate func streamClosed() {
    openStreams -= 1
    guard openStreams == 0, let context else { return }
    if draining { closeAfterTheLastFrames(context: context) } else { armIdleTimer(context: context) }
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let frame = unwrapInboundIn(data)
    if case .ping(_, ack: false) = frame.payload, openStreams == 0 {
      let now = NIODeadline.now()
      if let last = lastIdlePing, now - last < minPingInterval { pingStrikes += 1 }
      lastIdlePing = now
      if pingStrikes > Self.maxPingStrikes {
        return goAway(context: context, code: .enhanceYourCalm, reason: "too_many_pings", close: true)
      }
    }
    context.fireChannelRead(data)
  }

  func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
    guard event is ShutdownEvent else { return context.triggerUserOutboundEvent(event, promise: promise) }
    if !draining {
      draining = true
      goAway(context: context, code: .noError, reason: "shutting down", close: openStreams == 0)
    }
    promise?.succeed()
  }

  /// A stream counts as closed as soon as its last frame is written, before that frame is flushed;
  /// the connection closes on the next turn of the event loop, once the frame is on its way.
  private func closeAfterTheLastFrames(context: ChannelHandlerContext) {
    context.eventLoop.assumeIsolated().execute {
      context.flush()
      context.close(promise: nil)
    }
  }

  private func armIdleTimer(context: ChannelHandlerContext) {
    guard let idleTimeout, !draining else { return }
    idleTimer?.cancel()
    idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: idleTimeout) { [self] in
      goAway(context: context, code: .noError, reason: "idle", close: true)
    }
  }

  private func goAway(context: ChannelHandlerContext, code: HTTP2ErrorCode, reason: String, close: Bool) {
    let frame = HTTP2Frame(
      streamID: .rootStream,
      payload: .goAway(lastStreamID: lastStreamID, errorCode: code, opaqueData: ByteBuffer(string: reason)))
    context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    if close { context.close(promise: nil) }
  }
}

/// Passes the HTTP/2 handler's stream events to the connection's manager, on its event loop.
private struct StreamEvents: NIOHTTP2StreamDelegate {
  let manager: NIOLoopBound<ConnectionManager>

  func streamCreated(_ id: HTTP2StreamID, channel: any Channel) { manager.value.streamOpened(id) }

  func streamClosed(_ id: HTTP2StreamID, channel: any Channel) { manager.value.streamClosed() }
}
