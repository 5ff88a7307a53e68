package import NIOHTTP2

/// HTTP/2's inbound flow control for a connection whose streams have no channels of their own:
/// each window, the connection's and every stream's, is brought back to `target` once it is down
/// to half of it, as swift-nio-http2's stream channels do, except the window of a stream whose
/// reader has fallen behind, which stays as it is until the reader has caught up.
package struct InboundWindows {
  package let target: Int
  /// The last window reported for each stream whose reader is behind.
  private var paused: [HTTP2StreamID: Int] = [:]

  package init(target: Int) { self.target = target }

  /// The WINDOW_UPDATE to send after the HTTP/2 handler reported a window's change, if any; nil
  /// too while the stream's reader is behind (`readerBehind`), whose window is remembered instead.
  package mutating func update(
    after event: NIOHTTP2WindowUpdatedEvent, readerBehind: (HTTP2StreamID) -> Bool
  ) -> HTTP2Frame? {
    guard let size = event.inboundWindowSize else { return nil }
    let id = event.streamID
    if id != .rootStream, readerBehind(id) {
      paused[id] = size
      return nil
    }
    return update(id, from: size)
  }

  /// The WINDOW_UPDATE to send now that the reader of `id` has caught up, if any.
  package mutating func caughtUp(_ id: HTTP2StreamID) -> HTTP2Frame? {
    paused.removeValue(forKey: id).flatMap { update(id, from: $0) }
  }

  /// Forgets a stream that closed.
  package mutating func closed(_ id: HTTP2StreamID) { paused[id] = nil }

  /// Forgets every stream: the connection closed.
  package mutating func closedAll() { paused.removeAll() }

  private func update(_ id: HTTP2StreamID, from size: Int) -> HTTP2Frame? {
    guard size < target else { return nil }
    let increment = size < 0 ? min(target - size, Int(Int32.max)) : target - size
    guard size < 0 || increment >= size else { return nil }
    return HTTP2Frame(streamID: id, payload: .windowUpdate(windowSizeIncrement: increment))
  }
}
