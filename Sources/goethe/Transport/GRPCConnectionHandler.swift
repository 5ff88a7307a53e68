import GoetheKit
import NIOCore
import NIOHTTP2

/// Serves a connection's calls straight from the HTTP/2 handler's frames: each stream is a
/// ``GRPCCall`` kept in a table by its id, with no channel and pipeline of its own. A unary call
/// then costs its frames and its handler, not a stream channel's set-up, pipeline hops and
/// tear-down, which were most of what a small call cost.
///
/// Without stream channels, the connection keeps HTTP/2's inbound flow control itself: it tops up
/// the connection's window and every stream's as they are used, except the window of a stream
/// whose handler has fallen behind (``GRPCCall/readingPaused``), which stays closed until it has
/// caught up. Frames of the connection itself, and the HTTP/2 handler's stream events, go on to
/// the ``ConnectionManager``.
final class GRPCConnectionHandler: ChannelDuplexHandler {
  typealias InboundIn = HTTP2Frame
  typealias InboundOut = HTTP2Frame
  typealias OutboundIn = HTTP2Frame
  typealias OutboundOut = HTTP2Frame

  private let configuration: GRPCCall.Configuration
  private var windows: InboundWindows
  private var context: ChannelHandlerContext?
  private var calls: [HTTP2StreamID: GRPCCall] = [:]
  /// Set by ``ConnectionManager/ShutdownEvent``: streaming calls take no more requests.
  private var shuttingDown = false
  /// One timer for the calls' deadlines, set for the earliest known when it was set.
  private var deadlineTimer: (deadline: NIODeadline, timer: Scheduled<Void>)?

  init(_ configuration: GRPCCall.Configuration, targetWindow: Int) {
    self.configuration = configuration
    windows = InboundWindows(target: targetWindow)
  }

  func handlerAdded(context: ChannelHandlerContext) { self.context = context }

  func handlerRemoved(context: ChannelHandlerContext) {
    stopAll()
    self.context = nil
  }

  // MARK: Inbound

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let frame = unwrapInboundIn(data)
    let id = frame.streamID
    guard id != .rootStream else { return context.fireChannelRead(data) }
    if let call = calls[id] {
      call.receive(frame.payload)
    } else if case .headers = frame.payload {
      let call = GRPCCall(configuration, streamID: id, connection: self, eventLoop: context.eventLoop)
      calls[id] = call
      call.receive(frame.payload)
      if shuttingDown { call.endRequestsForShutdown() }
    }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    // Window changes come with nearly every DATA frame: they are looked for first, and kept here.
    if let window = event as? NIOHTTP2WindowUpdatedEvent {
      if let update = windows.update(after: window, readerBehind: { calls[$0]?.readingPaused == true }) {
        context.writeAndFlush(wrapOutboundOut(update), promise: nil)
      }
      return
    }
    if let closed = event as? StreamClosedEvent {
      windows.closed(closed.streamID)
      calls.removeValue(forKey: closed.streamID)?.stop()
    }
    context.fireUserInboundEventTriggered(event)
  }

  func channelInactive(context: ChannelHandlerContext) {
    stopAll()
    context.fireChannelInactive()
  }

  /// A stream error is the HTTP/2 handler's to answer (it resets the stream, which ends the call);
  /// it does not concern the connection.
  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    if error is NIOHTTP2Errors.StreamError { return }
    context.fireErrorCaught(error)
  }

  private func stopAll() {
    deadlineTimer?.timer.cancel()
    deadlineTimer = nil
    let open = calls.values
    calls.removeAll()
    windows.closedAll()
    for call in open { call.stop() }
  }

  // MARK: Deadlines

  /// Makes sure a call's `deadline` is seen when it passes. A timer per call would be scheduled
  /// and cancelled again with nearly every call (clients give every call a timeout, mostly the
  /// same one, and most calls end long before it); one timer per connection, set for the earliest
  /// deadline known, is reset only by a call whose deadline comes before it.
  func watchDeadline(_ deadline: NIODeadline) {
    guard let context, deadlineTimer.map({ deadline < $0.deadline }) ?? true else { return }
    deadlineTimer?.timer.cancel()
    let timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in deadlinesPassed() }
    deadlineTimer = (deadline, timer)
  }

  /// Ends the calls whose deadline has passed, and watches the earliest of the others.
  private func deadlinesPassed() {
    deadlineTimer = nil
    let now = NIODeadline.now()
    var next: NIODeadline?
    for call in calls.values {
      guard let deadline = call.deadline else { continue }
      if deadline <= now {
        call.deadlinePassed()
      } else {
        next = min(next ?? deadline, deadline)
      }
    }
    if let next { watchDeadline(next) }
  }

  // MARK: Flow control

  /// Opens the window of a stream whose handler has caught up.
  func reopenWindow(of id: HTTP2StreamID) {
    guard let context, let update = windows.caughtUp(id) else { return }
    context.writeAndFlush(wrapOutboundOut(update), promise: nil)
  }

  // MARK: Outbound

  /// On ``ConnectionManager/ShutdownEvent`` (which the manager drains the connection on), the
  /// streaming calls' requests end: those already received are answered, later ones are not read.
  func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
    guard event is ConnectionManager.ShutdownEvent else {
      return context.triggerUserOutboundEvent(event, promise: promise)
    }
    shuttingDown = true
    for call in calls.values { call.endRequestsForShutdown() }
    promise?.succeed()
  }

  // MARK: Outbound, for the calls

  func write(_ frame: HTTP2Frame, promise: EventLoopPromise<Void>?) {
    guard let context else {
      promise?.fail(ChannelError.ioOnClosedChannel)
      return
    }
    context.write(wrapOutboundOut(frame), promise: promise)
  }

  func flush() { context?.flush() }
}
