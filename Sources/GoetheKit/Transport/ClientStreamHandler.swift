import Foundation
import GRPCCore
import NIOCore
import NIOHPACK
import NIOHTTP1
import NIOHTTP2

/// One call on its HTTP/2 stream: sends the request's headers and framed messages, and turns
/// the response's headers, DATA frames and trailers into the parts of a ``ResponseQueue``.
///
/// It lives on the connection's event loop, where the connection's ``ClientConnectionHandler``
/// gives it a stream id when it sends its first frame and hands it the stream's frames; the
/// caller's task reaches it through ``ClientStream``. While the caller is behind (the queue holds
/// many parts), the stream's flow-control window is not topped up, so that flow control holds
/// back a server that sends faster than the caller reads.
final class ClientStreamHandler {
  /// What the request's headers say besides the call's own metadata.
  struct Request {
    let path: String
    let authority: String
    let scheme: String
    /// When the call must have ended, if ever.
    let deadline: ContinuousClock.Instant?
  }

  /// A streaming request's writer waits while this many bytes of its messages are not yet handed
  /// to the socket: held back by the server's flow-control window, or by a full socket.
  static let unsentBytesLimit = 1 << 20

  let queue: ResponseQueue
  private let request: Request
  private let connection: ClientConnectionHandler
  /// Whether a GOAWAY of the connection excludes the stream `id`.
  private let refusedByGoAway: @Sendable (HTTP2StreamID) -> Bool
  private let writability: StreamWritability
  private let eventLoop: any EventLoop
  private var deframer: GRPCMessageDeframer
  /// The stream's id, from its first frame on.
  private var streamID: HTTP2StreamID?
  /// The stream closed (both sides ended, or it was reset, or the connection closed).
  private var closed = false
  private var receivedHeaders = false
  private var ended = false
  private var sentEnd = false
  /// The server ended its side of the stream (END_STREAM or RST_STREAM).
  private var serverEnded = false
  private var failure: (any Error)?
  private var deadlineTimer: Scheduled<Void>?
  private var unsentBytes = 0
  /// Whether the connection is to tell it, once the current read is complete, to deliver what it
  /// received.
  var awaitsDelivery = false

  init(
    request: Request, queue: ResponseQueue, writability: StreamWritability, maxResponseSize: Int,
    connection: ClientConnectionHandler, eventLoop: any EventLoop,
    refusedByGoAway: @escaping @Sendable (HTTP2StreamID) -> Bool
  ) {
    self.request = request
    self.refusedByGoAway = refusedByGoAway
    self.queue = queue
    self.writability = writability
    self.connection = connection
    self.eventLoop = eventLoop
    deframer = GRPCMessageDeframer(limit: maxResponseSize)
    if let deadline = request.deadline {
      let remaining = ContinuousClock.now.duration(to: deadline)
      deadlineTimer = eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(remaining)) { [self] in
        deadlinePassed()
      }
    }
  }

  /// Whether the caller is behind, so that the stream's window stays closed.
  var readingPaused: Bool { queue.readsPaused }

  // MARK: Sending

  /// What the caller sends: the request's parts, then its end.
  enum Outbound: Sendable {
    case part(RPCRequestPart<GRPCFrameBytes>)
    case end
  }

  /// Sends what the caller queued since the last time, in one write to the socket. The request's
  /// end goes with its last message (END_STREAM on its DATA frame) when they come together, as
  /// they do for a unary call.
  func send(_ queued: [Outbound]) {
    guard !ended, !sentEnd, let id = openedStream() else { return }
    var index = 0
    while index < queued.count, !sentEnd {
      let endsHere = index + 1 < queued.count && { if case .end = queued[index + 1] { true } else { false } }()
      switch queued[index] {
      case .part(.metadata(let metadata)):
        let sent = eventLoop.makePromise(of: Void.self)
        sent.futureResult.assumeIsolated().whenFailure { [self] error in headersFailed(id, error) }
        connection.write(HTTP2Frame(streamID: id, payload: .headers(.init(headers: headers(metadata)))), promise: sent)
      case .part(.message(let bytes)):
        write(message: bytes.frame, endStream: endsHere, on: id)
        if endsHere {
          sentEnd = true
          index += 1
        }
      case .end:
        sentEnd = true
        connection.write(
          HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(ByteBuffer()), endStream: true))),
          promise: nil)
      }
      index += 1
    }
    connection.flush()
  }

  /// The stream's id, opening the stream if this is its first frame; nil (and the call ended as
  /// refused, since nothing of it was sent) when the connection opens no more streams.
  private func openedStream() -> HTTP2StreamID? {
    if let streamID { return streamID }
    guard let id = connection.open(self) else {
      end(throwing: StreamRefused.error)
      return nil
    }
    streamID = id
    return id
  }

  /// A stream whose headers could not be sent. Headers that HTTP/2 held back because the
  /// connection had closed or gone away never left, so the server never saw the call: it is
  /// refused, and can go again. Headers under which the socket failed may have reached the
  /// server with the rest of the request (the connection's frames are written to the socket
  /// together, and a write that fails part-way fails whole), so that call fails as UNAVAILABLE
  /// and is not sent again as if refused. Headers HTTP/2 does not take (metadata with a name it
  /// forbids) fail the call.
  private func headersFailed(_ id: HTTP2StreamID, _ error: any Error) {
    connection.abandon(id)
    closed = true
    if !receivedHeaders, Self.neverLeft(error) {
      end(throwing: StreamRefused.error)
    } else if error is ChannelError || error is IOError {
      end(throwing: RPCError(code: .unavailable, message: "the connection failed as the request was sent: \(error)"))
    } else {
      end(throwing: RPCError(code: .internalError, message: "the request's headers could not be sent: \(error)"))
    }
    writability.close()
  }

  /// Whether a frame's write failed before any of it left for the socket.
  private static func neverLeft(_ error: any Error) -> Bool {
    error is ClientConnectionHandler.ClosedBeforeWrite || error is NIOHTTP2Errors.IOOnClosedConnection
      || error is NIOHTTP2Errors.CreatedStreamAfterGoaway
  }

  /// Writes a request message; the writer waits while too much of it is not yet on the socket.
  private func write(message: ByteBuffer, endStream: Bool, on id: HTTP2StreamID) {
    let size = message.readableBytes
    unsentBytes += size
    if unsentBytes >= Self.unsentBytesLimit, unsentBytes - size < Self.unsentBytesLimit { writability.update(false) }
    let sent = eventLoop.makePromise(of: Void.self)
    sent.futureResult.assumeIsolated().whenComplete { [self] _ in
      unsentBytes -= size
      if unsentBytes < Self.unsentBytesLimit, unsentBytes + size >= Self.unsentBytesLimit { writability.update(true) }
    }
    connection.write(
      HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(message), endStream: endStream))), promise: sent)
  }

  /// Abandons the call, unless its response has ended already: the stream is reset with CANCEL.
  func cancel() {
    guard !ended else { return }
    // Its stream is open (its request not ended, or its response): ending resets it.
    end(throwing: RPCError(code: .cancelled, message: "the call was cancelled"))
  }

  private func reset() {
    guard let streamID, !closed else { return }
    connection.reset(streamID)
  }

  private func headers(_ metadata: Metadata) -> HPACKHeaders {
    var headers: HPACKHeaders = [
      ":method": "POST", ":scheme": request.scheme, ":path": request.path, ":authority": request.authority,
      "content-type": "application/grpc", "te": "trailers",
    ]
    if let deadline = request.deadline {
      headers.add(name: "grpc-timeout", value: GRPCTimeout.encoded(ContinuousClock.now.duration(to: deadline)))
    }
    for entry in metadata where !GRPCStatusMessage.reserved(entry.key) && entry.key != "grpc-timeout" {
      // HTTP/2 header names are lowercase; gRPC sends binary values as unpadded base64.
      let name = entry.key.lowercased()
      switch entry.value {
      case .string(let value): headers.add(name: name, value: value)
      case .binary(let value):
        headers.add(name: name, value: String(Data(value).base64EncodedString().prefix { $0 != "=" }))
      }
    }
    return headers
  }

  // MARK: Receiving

  private func deadlinePassed() {
    guard !ended else { return }
    end(throwing: RPCError(code: .deadlineExceeded, message: "the call did not end within its deadline"))
    reset()
  }

  /// Takes one of the stream's frames.
  func receive(_ payload: HTTP2Frame.FramePayload) {
    guard !ended else { return }
    switch payload {
    case .headers(let frame): serverEnded = frame.endStream
    case .data(let frame): serverEnded = frame.endStream
    case .rstStream: serverEnded = true
    default: break
    }
    switch payload {
    case .headers(let frame):
      if !receivedHeaders {
        receivedHeaders = true
        receivedResponseHeaders(frame.headers, endStream: frame.endStream)
      } else {
        end(with: Self.status(frame.headers))
      }
    case .data(let frame):
      guard case .byteBuffer(let bytes) = frame.data, receivedHeaders else {
        return end(throwing: RPCError(code: .internalError, message: "the server sent data before its headers"))
      }
      do {
        for message in try deframer.process(bytes) where !ended {
          queue.append(.message(GRPCFrameBytes(received: message)))
        }
      } catch .tooLarge(let length) {
        return end(
          throwing: RPCError(
            code: .resourceExhausted,
            message: "a response message of \(length) bytes is over the limit of \(deframer.limit)"))
      } catch {
        return end(throwing: RPCError(code: .internalError, message: "a response message is unreadable: \(error)"))
      }
      if frame.endStream {
        end(throwing: RPCError(code: .internalError, message: "the server ended the response without a status"))
      }
    case .rstStream(.refusedStream):
      end(throwing: StreamRefused.error)
    case .rstStream(let code):
      end(throwing: RPCError(code: Self.code(resetWith: code), message: "the server reset the stream (\(code))"))
    default:
      break
    }
  }

  /// Wakes the caller for what arrived in one read of the socket.
  func deliver() { queue.deliver() }

  /// Lets the server send again, once the caller has caught up.
  func resumeReading() {
    if let streamID, !closed { connection.reopenWindow(of: streamID) }
  }

  /// The HTTP/2 handler failed the stream with `error` (it resets it).
  func failed(_ error: any Error) {
    failure = failure ?? error
  }

  /// The stream closed: both sides ended, it was reset, or the connection closed.
  func streamClosed() {
    closed = true
    if !receivedHeaders, let streamID, refusedByGoAway(streamID) { end(throwing: StreamRefused.error) }
    let reason = failure.map { ": \($0)" } ?? ""
    end(
      throwing: RPCError(
        code: .unavailable, message: "the stream closed before the call ended\(reason)", cause: failure))
    writability.close()
  }

  private func receivedResponseHeaders(_ headers: HPACKHeaders, endStream: Bool) {
    guard let status = headers.first(name: ":status"), status == "200" else {
      let code = headers.first(name: ":status").flatMap(Int.init) ?? 0
      return end(
        with: .status(Status(code: Status(httpStatusCode: code).code, message: NonGRPCAnswer.message(code)), [:]))
    }
    if endStream { return end(with: Self.status(headers)) }
    guard headers.first(name: "content-type")?.hasPrefix("application/grpc") == true else {
      return end(
        with: .status(
          Status(
            code: .unknown,
            message: "the server answered with content-type \(headers.first(name: "content-type") ?? "none"), not gRPC"),
          [:]))
    }
    if let encoding = headers.first(name: "grpc-encoding"), encoding != "identity" {
      return end(
        throwing: RPCError(code: .internalError, message: "the server compressed its answer (\(encoding)) unasked"))
    }
    queue.append(.metadata(Self.metadata(headers)))
  }

  private func end(with status: ResponseQueue.Part) {
    guard !ended else { return }
    deadlineTimer?.cancel()
    queue.append(status)
    ended = true
    queue.finish()
    closeIfDone()
  }

  private func end(throwing error: RPCError) {
    guard !ended else { return }
    deadlineTimer?.cancel()
    ended = true
    queue.finish(throwing: error)
    closeIfDone()
  }

  /// A call that ended while either side of its stream is still open, as when the response
  /// ended before the request, or the client gave up on a response (one too large, or not
  /// gRPC): the stream is reset, so the server stops sending.
  private func closeIfDone() {
    if !sentEnd || !serverEnded { reset() }
  }

  // MARK: Headers to gRPC

  /// The status in trailers (or in a trailers-only response).
  static func status(_ headers: HPACKHeaders) -> ResponseQueue.Part {
    guard let text = headers.first(name: "grpc-status"), let value = Int(text) else {
      return .status(
        Status(code: .unknown, message: "the server ended the call without a grpc-status"), metadata(headers))
    }
    let message = headers.first(name: "grpc-message").map(GRPCStatusMessage.decoded) ?? ""
    return .status(Status(code: Status.Code(rawValue: value) ?? .unknown, message: message), metadata(headers))
  }

  /// A call's metadata in `headers`: everything but what HTTP/2 and gRPC's status use; binary
  /// values (`-bin` keys) base64-decoded.
  static func metadata(_ headers: HPACKHeaders) -> Metadata {
    var metadata = Metadata()
    for (name, value, _) in headers where !GRPCStatusMessage.reserved(name) && name != "grpc-encoding" {
      if name.hasSuffix("-bin") {
        if let bytes = Data(base64Encoded: Self.padded(value)) { metadata.addBinary(Array(bytes), forKey: name) }
      } else {
        metadata.addString(value, forKey: name)
      }
    }
    return metadata
  }

  /// gRPC sends base64 without padding; Foundation wants it.
  private static func padded(_ base64: String) -> String {
    base64 + String(repeating: "=", count: (4 - base64.count % 4) % 4)
  }

  /// The status a reset stream stands for (gRPC over HTTP/2, "Errors").
  static func code(resetWith code: HTTP2ErrorCode) -> RPCError.Code {
    switch code {
    case .refusedStream: .unavailable
    case .cancel: .cancelled
    case .enhanceYourCalm: .resourceExhausted
    case .inadequateSecurity: .permissionDenied
    default: .internalError
    }
  }
}

/// An answer that was not gRPC's: an HTTP status other than 200, as a web server or proxy gives.
enum NonGRPCAnswer {
  static func message(_ status: Int) -> String {
    "the server answered HTTP \(status) \(HTTPResponseStatus(statusCode: status).reasonPhrase), not gRPC"
  }

  /// The HTTP status a call's message names, such as "404 Not Found", when it is such an answer.
  static func status(in message: String) -> Substring? {
    message.wholeMatch(of: /the server answered HTTP (?<status>.+), not gRPC/)?.output.status
  }
}

/// Why a call failed whose stream the server refused before processing any of it: it reset the
/// stream with REFUSED_STREAM, or its GOAWAY excluded the stream. HTTP/2 promises that such a
/// request was not processed, so sending it again can do no harm, even for a write
/// (``RPCError/streamRefused``).
struct StreamRefused: Error, CustomStringConvertible {
  var description: String { "the server refused the stream before processing it" }

  static var error: RPCError {
    RPCError(
      code: .unavailable, message: "the server refused the stream before processing it (REFUSED_STREAM)",
      cause: StreamRefused())
  }
}
