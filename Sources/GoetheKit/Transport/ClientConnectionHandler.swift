import NIOCore
import NIOHTTP2

/// Carries a connection's calls as HTTP/2 streams straight on the HTTP/2 handler's frames: each
/// call's ``ClientStreamHandler`` is kept in a table by its stream id, with no channel and
/// pipeline of its own, which were most of what a small call cost the client.
///
/// A stream gets its id when its call sends its first frame, so that ids go out in increasing
/// order as HTTP/2 requires. Without stream channels, the connection keeps HTTP/2's inbound flow
/// control itself: it tops up the connection's window and every stream's as they are used,
/// except the window of a stream whose caller has fallen behind, which stays closed until it has
/// caught up. Frames of the connection itself go on to the ``ConnectionWatcher``.
final class ClientConnectionHandler: ChannelDuplexHandler {
  typealias InboundIn = HTTP2Frame
  typealias InboundOut = HTTP2Frame
  typealias OutboundIn = HTTP2Frame
  typealias OutboundOut = HTTP2Frame

  private var windows: InboundWindows
  private var context: ChannelHandlerContext?
  private var streams: [HTTP2StreamID: ClientStreamHandler] = [:]
  private var nextStreamID: HTTP2StreamID
  /// False once the server sent GOAWAY or the connection closed: no stream opens any more.
  private var takesStreams = true
  /// Streams that received frames in the current read, told once it is complete.
  private var received: [ClientStreamHandler] = []
  /// Sent down the pipeline when the connection can open no more streams: their ids ran out.
  struct StreamIDsExhausted {}

  /// - Parameter firstStreamID: the id of the connection's first stream: 1, or for tests of ids
  ///   that run out, one near the last.
  init(targetWindow: Int, firstStreamID: HTTP2StreamID = 1) {
    windows = InboundWindows(target: targetWindow)
    nextStreamID = firstStreamID
  }

  func handlerAdded(context: ChannelHandlerContext) { self.context = context }

  func handlerRemoved(context: ChannelHandlerContext) {
    closeAll()
    self.context = nil
  }

  // MARK: Streams

  /// The id of a new stream for `stream`, or nil when the connection opens none any more.
  func open(_ stream: ClientStreamHandler) -> HTTP2StreamID? {
    guard takesStreams, let context else { return nil }
    let id = nextStreamID
    guard Int32(id) <= Int32.max - 2 else {
      takesStreams = false
      context.fireUserInboundEventTriggered(StreamIDsExhausted())
      return nil
    }
    nextStreamID = HTTP2StreamID(Int32(id) + 2)
    streams[id] = stream
    return id
  }

  /// Forgets a stream whose first frame could not be sent.
  func abandon(_ id: HTTP2StreamID) {
    streams[id] = nil
    windows.closed(id)
  }

  /// Resets a stream with CANCEL, which ends it on both sides.
  func reset(_ id: HTTP2StreamID) {
    guard streams[id] != nil else { return }
    write(HTTP2Frame(streamID: id, payload: .rstStream(.cancel)), promise: nil)
    flush()
  }

  /// A frame written after the connection closed: it never left.
  struct ClosedBeforeWrite: Error {}

  func write(_ frame: HTTP2Frame, promise: EventLoopPromise<Void>?) {
    guard let context else {
      promise?.fail(ClosedBeforeWrite())
      return
    }
    context.write(wrapOutboundOut(frame), promise: promise)
  }

  func flush() { context?.flush() }

  // MARK: Inbound

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let frame = unwrapInboundIn(data)
    guard frame.streamID != .rootStream else {
      if case .goAway = frame.payload { takesStreams = false }
      return context.fireChannelRead(data)
    }
    guard let stream = streams[frame.streamID] else { return }
    stream.receive(frame.payload)
    if !stream.awaitsDelivery {
      stream.awaitsDelivery = true
      received.append(stream)
    }
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    let streams = received
    received.removeAll(keepingCapacity: true)
    for stream in streams {
      stream.awaitsDelivery = false
      stream.deliver()
    }
    context.fireChannelReadComplete()
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    // Window changes come with nearly every DATA frame: they are looked for first, and kept here.
    if let window = event as? NIOHTTP2WindowUpdatedEvent {
      if let update = windows.update(after: window, readerBehind: { streams[$0]?.readingPaused == true }) {
        context.writeAndFlush(wrapOutboundOut(update), promise: nil)
      }
      return
    }
    if let closed = event as? StreamClosedEvent {
      windows.closed(closed.streamID)
      streams.removeValue(forKey: closed.streamID)?.streamClosed()
    }
    context.fireUserInboundEventTriggered(event)
  }

  /// A stream's error is the HTTP/2 handler's to answer (it resets the stream, which ends the
  /// call); the call reports it. It does not concern the connection.
  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    if let error = error as? NIOHTTP2Errors.StreamError {
      streams[error.streamID]?.failed(error.baseError)
      return
    }
    context.fireErrorCaught(error)
  }

  func channelInactive(context: ChannelHandlerContext) {
    closeAll()
    context.fireChannelInactive()
  }

  private func closeAll() {
    takesStreams = false
    let open = streams.values
    streams.removeAll()
    windows.closedAll()
    for stream in open { stream.streamClosed() }
  }

  // MARK: Flow control

  /// Opens the window of a stream whose caller has caught up.
  func reopenWindow(of id: HTTP2StreamID) {
    guard let context, let update = windows.caughtUp(id) else { return }
    context.writeAndFlush(wrapOutboundOut(update), promise: nil)
  }
}
