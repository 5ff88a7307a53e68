import GRPCCore
import NIOCore
import Synchronization

/// Whether a stream takes more to send now: what its handler wrote that is not on the socket yet
/// (held back by HTTP/2's flow-control window or a full socket), and what the caller handed to
/// the event loop that it has not written yet. A writer waits here while the stream takes no more.
final class StreamWritability: Sendable {
  /// Bytes handed to the event loop and not yet written, past which a writer waits.
  static let queuedLimit = 1 << 20

  private struct State {
    var writable = true
    var queued = 0
    var closed = false
    var waiters: [CheckedContinuation<Void, Never>] = []

    var open: Bool { closed || (writable && queued <= StreamWritability.queuedLimit) }

    mutating func released() -> [CheckedContinuation<Void, Never>] {
      open ? waiters.removeAllAndReturn() : []
    }
  }

  private let state = Mutex(State())

  /// The stream's writability changed.
  func update(_ writable: Bool) {
    let waiters = state.withLock { state in
      state.writable = writable
      return state.released()
    }
    for waiter in waiters { waiter.resume() }
  }

  /// The event loop wrote `bytes` that the caller had queued.
  func wrote(_ bytes: Int) {
    let waiters = state.withLock { state in
      state.queued -= bytes
      return state.released()
    }
    for waiter in waiters { waiter.resume() }
  }

  /// The stream closed: nobody waits any more.
  func close() {
    let waiters = state.withLock { state in
      state.closed = true
      return state.released()
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Counts `bytes` the caller queued, and returns once the stream takes more (or closed).
  func queue(_ bytes: Int) async {
    guard
      !state.withLock({ state in
        state.queued += bytes
        return state.open
      })
    else { return }
    await withCheckedContinuation { waiter in
      let ready = state.withLock { state in
        if state.open { return true }
        state.waiters.append(waiter)
        return false
      }
      if ready { waiter.resume() }
    }
  }
}

extension Array {
  fileprivate mutating func removeAllAndReturn() -> Self {
    defer { removeAll() }
    return self
  }
}

/// A call's stream as its caller's task holds it. What it writes is queued for the stream's
/// handler on the event loop without waiting, unless flow control holds the stream back; parts
/// written while the event loop has not yet taken the queue go out together, so the headers,
/// message and end of a unary request cost the event loop one wake-up and the socket one write.
///
/// The handler is made on the event loop when the first parts get there, so that opening a call
/// costs no trip to the event loop and back.
struct ClientStream: ClosableRPCWriterProtocol {
  typealias Element = RPCRequestPart<GRPCFrameBytes>

  let eventLoop: any EventLoop
  let handler: NIOLoopBoundBox<ClientStreamHandler?>
  /// Set on the event loop when the call was abandoned before its first part got there: it is
  /// never sent.
  private let abandoned: NIOLoopBoundBox<Bool?>
  let writability = StreamWritability()
  /// The response, as the handler receives it.
  let responses: ResponseQueue
  private let queue = OutboundQueue()
  private let makeHandler: @Sendable (ResponseQueue, StreamWritability) -> ClientStreamHandler

  /// A stream whose handler `makeHandler` makes, on `eventLoop`.
  init(
    on eventLoop: any EventLoop,
    makeHandler: @escaping @Sendable (ResponseQueue, StreamWritability) -> ClientStreamHandler
  ) {
    self.eventLoop = eventLoop
    let handler = NIOLoopBoundBox<ClientStreamHandler?>.makeEmptyBox(eventLoop: eventLoop)
    self.handler = handler
    abandoned = .makeEmptyBox(eventLoop: eventLoop)
    responses = ResponseQueue { eventLoop.execute { handler.value?.resumeReading() } }
    self.makeHandler = makeHandler
  }

  /// Throws once the call has ended (the response's status came, or the stream failed), so
  /// that a producer stops writing into it.
  func write(_ part: Element) async throws {
    if responses.isFinished { throw RPCError(code: .cancelled, message: "the call has ended") }
    let bytes = part.size
    enqueue(.part(part), bytes: bytes)
    await writability.queue(bytes)
  }

  func write(contentsOf parts: some Sequence<Element>) async throws {
    for part in parts { try await write(part) }
  }

  func finish() async { enqueue(.end, bytes: 0) }

  func finish(throwing error: any Error) async { cancel() }

  /// Abandons the call (RST_STREAM), unless its response has ended. A call abandoned before its
  /// first part reached the event loop (its caller gave up while its writer had not run yet) ends
  /// there as cancelled, and what its writer hands over afterwards is never sent.
  func cancel() {
    // Ended calls, which are nearly all, spare the event loop a wake-up.
    guard !responses.isFinished else { return }
    let (handler, abandoned, responses, writability) = (self.handler, self.abandoned, self.responses, self.writability)
    eventLoop.execute {
      if let handler = handler.value { return handler.cancel() }
      abandoned.value = true
      responses.finish(throwing: RPCError(code: .cancelled, message: "the call was cancelled before it was sent"))
      writability.close()
    }
  }

  private func enqueue(_ outbound: ClientStreamHandler.Outbound, bytes: Int) {
    guard queue.append(outbound, bytes: bytes) else { return }
    let (handler, abandoned, queue, writability, responses, makeHandler) = (
      self.handler, self.abandoned, self.queue, self.writability, self.responses, self.makeHandler
    )
    eventLoop.execute {
      let (parts, bytes) = queue.take()
      if handler.value == nil, abandoned.value == nil { handler.value = makeHandler(responses, writability) }
      handler.value?.send(parts)
      writability.wrote(bytes)
    }
  }
}

/// What a caller wrote that the event loop has not taken yet.
private final class OutboundQueue: Sendable {
  private struct State {
    var parts: [ClientStreamHandler.Outbound] = []
    var bytes = 0
  }

  private let state = Mutex(State())

  /// Queues `outbound`; returns true when the queue was empty, so the caller must have the event
  /// loop take it.
  func append(_ outbound: ClientStreamHandler.Outbound, bytes: Int) -> Bool {
    state.withLock { state in
      state.parts.append(outbound)
      state.bytes += bytes
      return state.parts.count == 1
    }
  }

  func take() -> ([ClientStreamHandler.Outbound], bytes: Int) {
    state.withLock { state in
      defer { state = State() }
      return (state.parts, state.bytes)
    }
  }
}

extension RPCRequestPart<GRPCFrameBytes> {
  /// What the part weighs in the stream's queue: its message's bytes.
  fileprivate var size: Int {
    if case .message(let bytes) = self { bytes.count } else { 0 }
  }
}
