import Foundation
import GRPCCore
import NIOCore
import NIOHPACK
import NIOHTTP1
import NIOHTTP2

/// One call on its HTTP/2 stream: sends the request's headers and framed messages, and turns
/// the response's headers, DATA frames and trailers into the parts of a ``ResponseQueue``.
///
/// It lives on the stream's channel, on the connection's event loop; the caller's task reaches it
/// through ``ClientStream``. The channel does not read by itself: the handler reads while the
/// queue has room, so that flow control holds back a server that sends faster than the caller
/// reads.
final class ClientStreamHandler: ChannelInboundHandler {
  typealias InboundIn = HTTP2Frame.FramePayload
  typealias OutboundOut = HTTP2Frame.FramePayload

  /// What the request's headers say besides the call's own metadata.
  struct Request {
    let path: String
    let authority: String
    let scheme: String
    /// When the call must have ended, if ever.
    let deadline: ContinuousClock.Instant?
  }

  let queue: ResponseQueue
  private let request: Request
  /// Whether a GOAWAY of the connection excludes the stream.
  private let refusedByGoAway: @Sendable () -> Bool
  private let writability: StreamWritability
  private var deframer: GRPCMessageDeframer
  private var context: ChannelHandlerContext?
  private var receivedHeaders = false
  private var ended = false
  private var sentEnd = false
  /// The server ended its side of the stream (END_STREAM or RST_STREAM).
  private var serverEnded = false
  private var failure: (any Error)?
  private var deadlineTimer: Scheduled<Void>?

  init(
    request: Request, queue: ResponseQueue, writability: StreamWritability, maxResponseSize: Int,
    refusedByGoAway: @escaping @Sendable () -> Bool
  ) {
    self.request = request
    self.refusedByGoAway = refusedByGoAway
    self.queue = queue
    self.writability = writability
    deframer = GRPCMessageDeframer(limit: maxResponseSize)
  }

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
    guard let context, !sentEnd else { return }
    var index = 0
    while index < queued.count, !sentEnd {
      let endsHere = index + 1 < queued.count && { if case .end = queued[index + 1] { true } else { false } }()
      switch queued[index] {
      case .part(.metadata(let metadata)):
        context.write(wrapOutboundOut(.headers(.init(headers: headers(metadata)))), promise: nil)
      case .part(.message(let bytes)):
        context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(bytes.frame), endStream: endsHere))), promise: nil)
        if endsHere {
          sentEnd = true
          index += 1
        }
      case .end:
        sentEnd = true
        context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true))), promise: nil)
      }
      index += 1
    }
    context.flush()
  }

  /// Abandons the call, unless its response has ended already: closing the stream's channel
  /// sends RST_STREAM with CANCEL.
  func cancel() {
    guard let context, !ended else { return }
    end(throwing: RPCError(code: .cancelled, message: "the call was cancelled"))
    context.close(promise: nil)
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

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    if let deadline = request.deadline {
      let remaining = ContinuousClock.now.duration(to: deadline)
      deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(remaining)) { [self] in
        deadlinePassed()
      }
    }
  }

  private func deadlinePassed() {
    guard let context, !ended else { return }
    end(throwing: RPCError(code: .deadlineExceeded, message: "the call did not end within its deadline"))
    context.close(promise: nil)
  }

  func channelActive(context: ChannelHandlerContext) {
    context.read()
    context.fireChannelActive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard !ended else { return }
    let payload = unwrapInboundIn(data)
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

  func channelReadComplete(context: ChannelHandlerContext) {
    queue.deliver()
    if !ended, !queue.readsPaused { context.read() }
    context.fireChannelReadComplete()
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    writability.update(context.channel.isWritable)
    context.fireChannelWritabilityChanged()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    failure = failure ?? error
    context.close(promise: nil)
  }

  func channelInactive(context: ChannelHandlerContext) {
    if !receivedHeaders, refusedByGoAway() { end(throwing: StreamRefused.error) }
    let reason = failure.map { ": \($0)" } ?? ""
    end(
      throwing: RPCError(
        code: .unavailable, message: "the stream closed before the call ended\(reason)", cause: failure))
    writability.close()
    context.fireChannelInactive()
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
  /// gRPC): the stream closes, which sends RST_STREAM, so the server stops sending.
  private func closeIfDone() {
    guard let context, context.channel.isActive else { return }
    if !sentEnd || !serverEnded { context.close(promise: nil) }
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
