import NIOCore
import NIOHTTP2

/// Manages one HTTP/2 connection's life behind the HTTP/2 handler: closes it once idle, drains it
/// on graceful shutdown, and polices pings that come without calls.
///
/// - **Idle:** with no stream open for `idleTimeout`, it drains the connection.
/// - **Graceful shutdown** (``ShutdownEvent``): it drains the connection, and closes it at the
///   event's deadline if calls are still open then (a client that never ends its request, or never
///   reads the response), which ends them.
/// - **Draining** is two-phase, as gRPC's servers do it, so that a call the client started before
///   the GOAWAY reached it is still served rather than cut off: a first GOAWAY (last stream
///   2^31-1) and a PING; once the PING's acknowledgement shows the client has seen the GOAWAY (or
///   after ``drainPingTimeout``), a second GOAWAY names the last stream that will be served, and
///   the connection closes once those streams have ended.
/// - **Keepalive:** a connection from which nothing has been read for a keepalive interval (looked
///   at once per interval) is sent a PING; without its acknowledgement within the keepalive
///   timeout, the peer is taken for gone (its machine down, or a partition) and the connection
///   closed, which ends its calls. A subscriber waiting at the head of a quiet topic writes nothing
///   and reads nothing, so without this its stream would stay open for ever after its client went
///   away.
/// - **Pings without calls** (gRFC A8): pings answered by the ``HTTP2ConnectionGuard`` never get
///   here, so these came without call traffic. With no stream open, a ping sooner than
///   `minPingInterval` after the previous one is a strike; the third strike ends the connection
///   with GOAWAY `ENHANCE_YOUR_CALM` ("too_many_pings"), as gRPC's servers do.
final class ConnectionManager: ChannelDuplexHandler {
  typealias InboundIn = HTTP2Frame
  typealias InboundOut = HTTP2Frame
  typealias OutboundIn = HTTP2Frame
  typealias OutboundOut = HTTP2Frame

  /// Sent down a connection's pipeline to drain it, and to close it at `deadline` whatever is
  /// still open. The ``GRPCConnectionHandler`` before the manager sees it next.
  struct ShutdownEvent: Sendable {
    var deadline: NIODeadline
  }

  static let maxPingStrikes = 2
  /// How long a drain waits for the client to acknowledge its PING before naming the last stream.
  static let drainPingTimeout = TimeAmount.seconds(5)
  /// The payload of the PING that marks the first GOAWAY of a drain.
  private static let drainPingData = HTTP2PingData(withInteger: 0x676f_6574_6865_2121)
  /// The payload of a keepalive PING.
  private static let keepalivePingData = HTTP2PingData(withInteger: 0x676f_6574_6865_3f3f)

  /// How long a connection may stay silent before it is sent a keepalive PING, and how long the
  /// PING's acknowledgement may take.
  struct Keepalive: Sendable, Equatable {
    var interval = TimeAmount.seconds(60)
    var timeout = TimeAmount.seconds(20)
  }

  private let idleTimeout: TimeAmount?
  private let minPingInterval: TimeAmount
  private let keepalive: Keepalive
  /// Whether a frame was read since the keepalive timer last looked.
  private var readSinceKeepaliveCheck = false
  private var keepaliveTimer: Scheduled<Void>?
  /// Closes the connection unless the keepalive PING sent is acknowledged first.
  private var keepaliveDeadline: Scheduled<Void>?
  private var openStreams = 0
  private var lastStreamID = HTTP2StreamID(0)
  /// One timer at a time watches for idleness; calls starting and ending do not re-arm it, it
  /// looks at ``idleSince`` when it fires and waits on if the connection has not been idle long.
  private var idleTimer: Scheduled<Void>?
  /// Since when no stream has been open; nil while one is.
  private var idleSince: NIODeadline?
  private var drain = DrainPhase.serving
  private var drainTimer: Scheduled<Void>?
  private var shutdownTimer: Scheduled<Void>?
  private var lastIdlePing: NIODeadline?
  private var pingStrikes = 0

  init(idleTimeout: TimeAmount?, minPingInterval: TimeAmount = .minutes(5), keepalive: Keepalive = Keepalive()) {
    self.idleTimeout = idleTimeout
    self.minPingInterval = minPingInterval
    self.keepalive = keepalive
  }

  private var context: ChannelHandlerContext?

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    idleSince = context.eventLoop.now
    armIdleTimer(context: context)
    armKeepalive(context: context)
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    cancelTimers()
    self.context = nil
  }

  func channelInactive(context: ChannelHandlerContext) {
    cancelTimers()
    context.fireChannelInactive()
  }

  /// Every read from the socket ends here, also when the calls' frames stayed with their calls
  /// before the manager and the pings with the ``HTTP2ConnectionGuard``: any of them shows the
  /// peer is there.
  func channelReadComplete(context: ChannelHandlerContext) {
    readSinceKeepaliveCheck = true
    context.fireChannelReadComplete()
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    switch event {
    case let created as NIOHTTP2StreamCreatedEvent: streamOpened(created.streamID)
    case is StreamClosedEvent: streamClosed()
    default: break
    }
    context.fireUserInboundEventTriggered(event)
  }

  private func streamOpened(_ id: HTTP2StreamID) {
    openStreams += 1
    lastStreamID = max(lastStreamID, id)
    idleSince = nil
    pingStrikes = 0
  }

  private func streamClosed() {
    openStreams -= 1
    guard openStreams == 0, let context else { return }
    switch drain {
    case .serving:
      idleSince = context.eventLoop.now
      if idleTimer == nil { armIdleTimer(context: context) }
    case .awaitingPingAck: break
    case .lastStreamNamed: closeAfterTheLastFrames(context: context)
    }
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let frame = unwrapInboundIn(data)
    if case .ping(Self.keepalivePingData, ack: true) = frame.payload {
      keepaliveDeadline?.cancel()
      keepaliveDeadline = nil
      return
    }
    if case .ping(Self.drainPingData, ack: true) = frame.payload, case .awaitingPingAck = drain {
      return nameTheLastStream(context: context)
    }
    if case .ping(_, ack: false) = frame.payload, openStreams == 0 {
      let now = NIODeadline.now()
      if let last = lastIdlePing, now - last < minPingInterval { pingStrikes += 1 }
      lastIdlePing = now
      if pingStrikes > Self.maxPingStrikes {
        goAway(lastStreamID: lastStreamID, code: .enhanceYourCalm, reason: "too_many_pings", context: context)
        return context.close(promise: nil)
      }
    }
    context.fireChannelRead(data)
  }

  func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
    guard let shutdown = event as? ShutdownEvent else {
      return context.triggerUserOutboundEvent(event, promise: promise)
    }
    beginDrain(reason: "shutting down", context: context)
    if shutdownTimer == nil {
      shutdownTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: shutdown.deadline) {
        context.close(promise: nil)
      }
    }
    context.triggerUserOutboundEvent(event, promise: promise)
  }

  private func beginDrain(reason: String, context: ChannelHandlerContext) {
    guard drain == .serving else { return }
    drain = .awaitingPingAck(reason: reason)
    idleTimer?.cancel()
    idleTimer = nil
    goAway(lastStreamID: .maxID, code: .noError, reason: reason, context: context)
    context.writeAndFlush(
      wrapOutboundOut(HTTP2Frame(streamID: .rootStream, payload: .ping(Self.drainPingData, ack: false))), promise: nil)
    drainTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.drainPingTimeout) { [self] in
      nameTheLastStream(context: context)
    }
  }

  /// The second GOAWAY of a drain: streams up to `lastStreamID` are served, none after.
  private func nameTheLastStream(context: ChannelHandlerContext) {
    guard case .awaitingPingAck(let reason) = drain else { return }
    drain = .lastStreamNamed
    drainTimer?.cancel()
    drainTimer = nil
    goAway(lastStreamID: lastStreamID, code: .noError, reason: reason, context: context)
    if openStreams == 0 { closeAfterTheLastFrames(context: context) }
  }

  /// A stream counts as closed as soon as its last frame is written, before that frame is flushed;
  /// the connection closes on the next turn of the event loop, once the frame is on its way.
  private func closeAfterTheLastFrames(context: ChannelHandlerContext) {
    context.eventLoop.assumeIsolated().execute {
      context.flush()
      context.close(promise: nil)
    }
  }

  /// Arms the idle timer to fire `idleTimeout` after ``idleSince`` (or from now, while streams
  /// are open); when it fires on a connection idle that long, the connection drains.
  private func armIdleTimer(context: ChannelHandlerContext) {
    guard let idleTimeout, drain == .serving else { return }
    let due = (idleSince ?? context.eventLoop.now) + idleTimeout
    idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
      idleTimer = nil
      if let idleSince, context.eventLoop.now >= idleSince + idleTimeout {
        beginDrain(reason: "idle", context: context)
      } else {
        armIdleTimer(context: context)
      }
    }
  }

  /// Every keepalive interval, sends a keepalive PING if nothing was read since the last look,
  /// unless one is unanswered.
  private func armKeepalive(context: ChannelHandlerContext) {
    keepaliveTimer = context.eventLoop.assumeIsolated().scheduleTask(in: keepalive.interval) { [self] in
      armKeepalive(context: context)
      defer { readSinceKeepaliveCheck = false }
      guard !readSinceKeepaliveCheck, keepaliveDeadline == nil else { return }
      sendKeepalivePing(context: context)
    }
  }

  private func sendKeepalivePing(context: ChannelHandlerContext) {
    context.writeAndFlush(
      wrapOutboundOut(HTTP2Frame(streamID: .rootStream, payload: .ping(Self.keepalivePingData, ack: false))),
      promise: nil)
    keepaliveDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: keepalive.timeout) {
      context.close(promise: nil)
    }
  }

  private func cancelTimers() {
    keepaliveTimer?.cancel()
    keepaliveDeadline?.cancel()
    idleTimer?.cancel()
    drainTimer?.cancel()
    shutdownTimer?.cancel()
  }

  private func goAway(lastStreamID: HTTP2StreamID, code: HTTP2ErrorCode, reason: String, context: ChannelHandlerContext)
  {
    let frame = HTTP2Frame(
      streamID: .rootStream,
      payload: .goAway(lastStreamID: lastStreamID, errorCode: code, opaqueData: ByteBuffer(string: reason)))
    context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
  }
}

/// Where a connection is in its drain.
private enum DrainPhase: Equatable {
  case serving
  /// The first GOAWAY and its PING are sent; calls still start.
  case awaitingPingAck(reason: String)
  /// The second GOAWAY named the last stream; the connection closes once none is open.
  case lastStreamNamed
}
