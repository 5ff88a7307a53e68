import GRPCCore
import GoetheKit
import NIOCore
import NIOHPACK
import NIOHTTP2

/// One gRPC call on one HTTP/2 stream of a connection: reads the request headers and messages,
/// runs the method's handler in a task, and writes the response messages and the status trailers.
///
/// Everything here runs on the connection's event loop, where its ``GRPCConnectionHandler`` hands
/// it the stream's frames; the handler's task reaches it through a ``StreamSink``. A call ends
/// exactly once, with the first of: the handler's outcome, its deadline (DEADLINE_EXCEEDED), a
/// refused request, or the client's reset (no status then).
final class GRPCCall {
  struct Configuration: Sendable {
    var methods: [String: RPCMethod]
    var maxRequestSize: Int
    /// Handlers run on their connection's event loop: no thread hop between a request and its
    /// response. Under `--sync always` the loop waits for its append's fsync; appends from other
    /// loops meanwhile queue and share the next one (group commit).
    var executor: EventLoopTaskExecutor
    var calls: CallTracker
    /// The server's account of the requests its calls hold before their handlers take them.
    var requestMemory: RequestMemory
    /// What the connection's start established about its client.
    var peer = ConnectionPeer()
  }

  /// A streaming response's writer waits while this many bytes of its messages are not yet handed
  /// to the socket: held back by the client's flow-control window, or by a full socket.
  static let unsentBytesLimit = 64 << 10

  let streamID: HTTP2StreamID
  private unowned let connection: GRPCConnectionHandler
  private let eventLoop: any EventLoop
  private let configuration: Configuration
  private var method: RPCMethod?
  private var callContext = CallContext.anonymous
  private var deframer: GRPCMessageDeframer
  private var requests: [ByteBuffer] = []
  /// What this call holds of ``Configuration/requestMemory``: its message still arriving, and a
  /// request waiting for the end of the client's side, as the storage they keep alive.
  private var heldRequestBytes = 0
  private var requestStream: AsyncThrowingStream<ByteBuffer, any Error>.Continuation?
  private var requestFlow: RequestFlow?
  /// The stream's window stays closed while the handler has too many requests unread
  /// (``RequestFlow``).
  private(set) var readingPaused = false
  private var requestEnded = false
  private var task: Task<Void, Never>?
  /// When the call ends with DEADLINE_EXCEEDED, if the client gave a timeout; its connection
  /// watches it (``GRPCConnectionHandler/watchDeadline(_:)``).
  private(set) var deadline: NIODeadline?
  private var responseStarted = false
  private var ended = false
  private var writeWaiters: [CheckedContinuation<Void, any Error>] = []
  private var unsentBytes = 0

  init(
    _ configuration: Configuration, streamID: HTTP2StreamID, connection: GRPCConnectionHandler,
    eventLoop: any EventLoop
  ) {
    self.configuration = configuration
    self.streamID = streamID
    self.connection = connection
    self.eventLoop = eventLoop
    deframer = GRPCMessageDeframer(limit: configuration.maxRequestSize)
  }

  // MARK: Requests

  /// Takes one of the stream's frames.
  func receive(_ payload: HTTP2Frame.FramePayload) {
    guard !ended else { return }
    switch payload {
    case .headers(let frame):
      requestEnded = requestEnded || frame.endStream
      if method == nil { receiveRequestHeaders(frame.headers) }
      if frame.endStream { receiveEndOfRequests() }
    case .data(let frame):
      requestEnded = requestEnded || frame.endStream
      if case .byteBuffer(let bytes) = frame.data { receive(bytes) }
      if frame.endStream { receiveEndOfRequests() }
    default:
      break
    }
  }

  private func receiveRequestHeaders(_ headers: HPACKHeaders) {
    guard let contentType = headers.first(name: "content-type"), contentType.hasPrefix("application/grpc") else {
      // Not a gRPC request at all: answered in HTTP's terms, as gRPC's servers do.
      return end(sending: [":status": "415"])
    }
    if configuration.peer.cameInPlaintextToTLS {
      return end(with: Self.tlsRequired)
    }
    let path = headers.first(name: ":path") ?? ""
    guard let method = configuration.methods[path] else {
      return end(with: RPCError(code: .unimplemented, message: "no method \(path)"))
    }
    if let encoding = headers.first(name: "grpc-encoding"), encoding != "identity" {
      return end(
        with: RPCError(
          code: .unimplemented, message: "compression \(encoding) is not supported",
          metadata: ["grpc-accept-encoding": "identity"]))
    }
    self.method = method
    callContext = CallContext(
      authorization: headers.first(name: "authorization"), certificateName: configuration.peer.certificateName,
      forwarded: headers.contains(name: CallContext.forwardedHeader))
    if let timeout = headers.first(name: "grpc-timeout").flatMap(GRPCTimeout.parse) {
      let deadline = NIODeadline.now() + TimeAmount(timeout)
      self.deadline = deadline
      connection.watchDeadline(deadline)
    }
    if case .bidirectional(let handler) = method {
      let (stream, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
      let callOnLoop = NIOLoopBound(self, eventLoop: eventLoop)
      let eventLoop = eventLoop
      let flow = RequestFlow(memory: configuration.requestMemory) {
        eventLoop.execute { callOnLoop.value.resumeReading() }
      }
      let callContext = callContext
      requestStream = continuation
      requestFlow = flow
      start { sink in
        try await handler(RequestMessages(stream: stream, flow: flow), callContext, sink)
        return nil
      }
    }
  }

  private func receive(_ bytes: ByteBuffer) {
    guard method != nil else { return }
    let messages: [ByteBuffer]
    do {
      messages = try deframer.process(bytes)
    } catch .tooLarge(let length) {
      return end(
        with: GoetheError(
          .tooLarge,
          "a request message of \(ByteSize(length)) is over the limit of \(ByteSize(configuration.maxRequestSize)); send fewer or smaller events per request"
        ).rpcError)
    } catch {
      return end(
        with: RPCError(
          code: .internalError, message: "a request message is compressed, but no compression was negotiated"))
    }
    if let requestStream, let requestFlow {
      for message in messages {
        // It waits for its handler in storage of its own, counted until the handler takes it.
        let kept = GRPCMessageDeframer.inOwnStorage(message)
        switch requestFlow.received(kept.storageCapacity) {
        case .refused: return end(with: requestMemoryExhausted)
        case .pause: readingPaused = true
        case .read: break
        }
        requestStream.yield(kept)
      }
    } else {
      requests += messages
      // A call that takes one request is refused at the second, before more can pile up.
      if requests.count > 1 { return end(with: Self.notOneRequest(requests.count)) }
    }
    // A request that ends with these bytes reaches its handler now: nothing is left to hold. One
    // that waits for the end of the client's side keeps storage of its own meanwhile.
    guard !requestEnded else { return }
    if let request = requests.first { requests[0] = GRPCMessageDeframer.inOwnStorage(request) }
    holdRequestBytes(deframer.pendingStorage + (requests.first?.storageCapacity ?? 0))
  }

  /// Accounts for the request bytes the call holds now; ends it with RESOURCE_EXHAUSTED when the
  /// server holds too many already.
  private func holdRequestBytes(_ bytes: Int) {
    let memory = configuration.requestMemory
    if bytes <= heldRequestBytes {
      memory.give(heldRequestBytes - bytes)
    } else if !memory.take(bytes - heldRequestBytes) {
      return end(with: requestMemoryExhausted)
    }
    heldRequestBytes = bytes
  }

  private var requestMemoryExhausted: RPCError {
    let memory = configuration.requestMemory
    return RPCError(
      code: .resourceExhausted,
      message:
        "the server holds \(ByteSize(memory.bytes)) of requests not yet handled, near its limit of \(ByteSize(memory.limit)); send again later"
    )
  }

  private func receiveEndOfRequests() {
    guard !ended, let method else { return }
    guard deframer.isEmpty else {
      return end(with: RPCError(code: .internalError, message: "the request ended inside a message"))
    }
    holdRequestBytes(0)
    switch method {
    case .bidirectional:
      requestStream?.finish()
    case .unary(let handler):
      guard let request = onlyRequest() else { return }
      let callContext = callContext
      start(streaming: false) { _ in try await handler(request, callContext) }
    case .serverStreaming(let handler):
      guard let request = onlyRequest() else { return }
      let callContext = callContext
      start { sink in
        try await handler(request, callContext, sink)
        return nil
      }
    }
  }

  private func onlyRequest() -> ByteBuffer? {
    guard requests.count == 1 else {
      end(with: Self.notOneRequest(requests.count))
      return nil
    }
    return requests[0]
  }

  /// The answer to a call that came in plaintext to a server that serves TLS only. It is marked as
  /// the server's, so that the client reports it rather than a server it cannot reach.
  private static let tlsRequired = GoetheError(
    .unreachable,
    "it takes TLS connections only; connect with TLS (--tls-ca FILE, or --tls when the system trusts its certificate)"
  ).rpcError

  private static func notOneRequest(_ count: Int) -> RPCError {
    RPCError(code: .internalError, message: "expected one request message, received \(count > 1 ? "more" : "none")")
  }

  // MARK: The handler

  /// Runs `body` in the call's task; its result is the last response message, if any.
  ///
  /// A streaming call's response headers go out at once: clients such as grpc-swift's hand a
  /// bidirectional call to their code only once the server has answered with headers.
  private func start(streaming: Bool = true, _ body: @escaping @Sendable (any ResponseSink) async throws -> ByteBuffer?)
  {
    if streaming {
      startResponse()
      connection.flush()
    }
    let sink = StreamSink(call: NIOLoopBound(self, eventLoop: eventLoop), eventLoop: eventLoop)
    let calls = configuration.calls
    calls.started()
    task = Task(executorPreference: configuration.executor) {
      let outcome: Result<ByteBuffer?, any Error>
      do {
        outcome = .success(try await body(sink))
      } catch {
        outcome = .failure(error)
      }
      sink.finish(outcome)
      calls.ended()
    }
  }

  /// Writes one response message; `written` resumes once the stream can take more: while fewer
  /// than ``unsentBytesLimit`` bytes of its messages wait to reach the socket.
  fileprivate func write(message: ByteBuffer, written: CheckedContinuation<Void, any Error>) {
    guard !ended else { return written.resume(throwing: CancellationError()) }
    startResponse()
    let size = message.readableBytes
    unsentBytes += size
    let sent = eventLoop.makePromise(of: Void.self)
    sent.futureResult.assumeIsolated().whenComplete { [self] _ in
      unsentBytes -= size
      if unsentBytes < Self.unsentBytesLimit { resumeWriters() }
    }
    write(.data(.init(data: .byteBuffer(message))), promise: sent)
    connection.flush()
    if unsentBytes < Self.unsentBytesLimit { written.resume() } else { writeWaiters.append(written) }
  }

  private func resumeWriters() {
    let waiters = writeWaiters
    writeWaiters.removeAll()
    for waiter in waiters { waiter.resume() }
  }

  /// Ends the call with the handler's outcome, unless it has ended already.
  fileprivate func finish(_ outcome: Result<ByteBuffer?, any Error>) {
    guard !ended else { return }
    switch outcome {
    case .success(let response):
      if let response {
        startResponse()
        write(.data(.init(data: .byteBuffer(response))))
      }
      end(with: nil)
    case .failure(let error):
      end(with: GRPCStatusTrailers.status(of: error))
    }
  }

  fileprivate func failWriters(_ error: any Error) {
    let waiters = writeWaiters
    writeWaiters.removeAll()
    for waiter in waiters { waiter.resume(throwing: error) }
  }

  // MARK: Responses

  private func startResponse() {
    guard !responseStarted else { return }
    responseStarted = true
    write(.headers(.init(headers: GRPCStatusTrailers.responseHeaders)))
  }

  /// Sends the status and ends the call.
  private func end(with status: RPCError?) {
    end(sending: GRPCStatusTrailers.make(status, trailersOnly: !responseStarted))
  }

  /// Sends the last headers of the stream and ends the call. A client still sending is stopped
  /// with RST_STREAM `NO_ERROR`, which tells it the response is complete (a `CANCEL` would make
  /// some clients, grpcio among them, report the call as cancelled instead of its status).
  ///
  /// The reset goes out once the headers are written: HTTP/2 holds a stream's DATA and last
  /// headers while the client's window is closed, but not a reset, which would drop them and
  /// leave a client that reads slowly without the end of the response and its status.
  private func end(sending headers: HPACKHeaders) {
    if requestEnded {
      write(.headers(.init(headers: headers, endStream: true)))
    } else {
      let written = eventLoop.makePromise(of: Void.self)
      written.futureResult.assumeIsolated().whenComplete { [self] _ in
        write(.rstStream(.noError))
        connection.flush()
      }
      write(.headers(.init(headers: headers, endStream: true)), promise: written)
    }
    connection.flush()
    stop()
  }

  /// Ends a streaming call's requests with UNAVAILABLE after those already received: the server is
  /// shutting down, and a client that keeps its side open (a producer waiting for input) would
  /// hold the drain. The handler answers what it has read, then ends with the status.
  func endRequestsForShutdown() {
    requestStream?.finish(throwing: Self.shuttingDown)
  }

  private static let shuttingDown = GoetheError(.unavailable, "the server is shutting down").rpcError

  /// Ends the call with DEADLINE_EXCEEDED, unless it has ended.
  func deadlinePassed() {
    guard !ended else { return }
    end(with: RPCError(code: .deadlineExceeded, message: "the call's deadline passed before it finished"))
  }

  /// Stops the call's work: its task, its request stream and its waiting writes.
  /// Called by the connection when the stream closes (the client reset it, or the connection
  /// went away) before the call ended: no status can be sent any more.
  func stop() {
    guard !ended else { return }
    ended = true
    holdRequestBytes(0)
    requestFlow?.close()
    task?.cancel()
    requestStream?.finish(throwing: CancellationError())
    failWriters(CancellationError())
  }

  private func write(_ payload: HTTP2Frame.FramePayload, promise: EventLoopPromise<Void>? = nil) {
    connection.write(HTTP2Frame(streamID: streamID, payload: payload), promise: promise)
  }

  // MARK: Flow control

  /// Lets the client send again, once the handler has caught up.
  fileprivate func resumeReading() {
    readingPaused = false
    if !ended { connection.reopenWindow(of: streamID) }
  }
}

/// How a call's task reaches its call, from whatever thread it runs on.
private struct StreamSink: ResponseSink {
  let call: NIOLoopBound<GRPCCall>
  let eventLoop: any EventLoop

  func write(_ frame: ByteBuffer) async throws {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        onLoop { $0.write(message: frame, written: continuation) }
      }
    } onCancel: {
      onLoop { $0.failWriters(CancellationError()) }
    }
  }

  func finish(_ outcome: Result<ByteBuffer?, any Error>) {
    onLoop { $0.finish(outcome) }
  }

  private func onLoop(_ body: @escaping @Sendable (GRPCCall) -> Void) {
    if eventLoop.inEventLoop {
      body(call.value)
    } else {
      let call = call
      eventLoop.execute { body(call.value) }
    }
  }
}
