import NIOCore

/// Sits between a connection's socket and its HTTP/2 handler and keeps two promises that the
/// HTTP/2 stack does not keep by itself:
///
/// - **No well-behaved client is cut off for pinging.** swift-nio-http2 allows 200 inbound control
///   frames per 30 s on a connection and then sends GOAWAY `ENHANCE_YOUR_CALM`; grpc-go, Goethe v1's
///   client, sends a bandwidth-estimation PING after nearly every response it receives, so a Go
///   program making more than a few calls a second was cut off. As gRPC's own servers do (gRFC A8,
///   "ping strikes" reset by sending headers or data), a PING that arrives after the server has
///   sent call traffic (HEADERS or DATA) since the previous PING is answered here and never reaches
///   the HTTP/2 handler. Every other PING goes on to the HTTP/2 handler, whose rate limit, and the
///   ``ConnectionManager``'s policing of pings without calls, still apply to a peer that pings
///   without traffic.
/// - **A connection that never speaks HTTP/2 is closed.** The client preface must arrive within
///   `prefaceTimeout`; idle and half-open connections do not hold a socket for ever.
///
/// The guard reads frame boundaries in both directions and changes no byte it forwards; it inserts
/// its acknowledgements only between whole outbound frames.
final class HTTP2ConnectionGuard: ChannelDuplexHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ByteBuffer
  typealias OutboundIn = IOData
  typealias OutboundOut = IOData

  static let clientPreface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

  private let prefaceTimeout: TimeAmount
  private var prefaceDeadline: Scheduled<Void>?
  private var prefaceReceived = 0
  /// False once the stream is not HTTP/2 as expected: the guard then forwards without looking.
  private var tracking = true
  private var inboundPayloadLeft = 0
  /// An inbound frame header or PING cut short by the end of a read.
  private var held: ByteBuffer?
  private var outbound = HTTP2FrameScanner()
  private var sentCallTrafficSincePing = false
  private var pendingAcks: [ByteBuffer] = []
  /// Acknowledgements are written but not flushed yet.
  private var mustFlush = false
  private var flushScheduled = false

  init(prefaceTimeout: TimeAmount) {
    self.prefaceTimeout = prefaceTimeout
  }

  func handlerAdded(context: ChannelHandlerContext) {
    if context.channel.isActive { armPrefaceDeadline(context: context) }
  }

  func channelActive(context: ChannelHandlerContext) {
    armPrefaceDeadline(context: context)
    context.fireChannelActive()
  }

  func channelInactive(context: ChannelHandlerContext) {
    prefaceDeadline?.cancel()
    context.fireChannelInactive()
  }

  private func armPrefaceDeadline(context: ChannelHandlerContext) {
    guard prefaceDeadline == nil, prefaceReceived < Self.clientPreface.count else { return }
    let channel = context.channel
    prefaceDeadline = context.eventLoop.scheduleTask(in: prefaceTimeout) { channel.close(promise: nil) }
  }

  // MARK: Inbound

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var buffer = unwrapInboundIn(data)
    if var previous = held {
      held = nil
      previous.writeBuffer(&buffer)
      buffer = previous
    }
    guard tracking else { return context.fireChannelRead(wrapInboundOut(buffer)) }

    // What the scan has passed is forwarded from `received`, whose reader index stays put.
    let received = buffer
    var forwardFrom = buffer.readerIndex
    scanning: while buffer.readableBytes > 0 {
      if prefaceReceived < Self.clientPreface.count {
        readPreface(&buffer)
        guard tracking else { buffer.moveReaderIndex(to: buffer.writerIndex); break }
      } else if inboundPayloadLeft > 0 {
        let skipped = min(inboundPayloadLeft, buffer.readableBytes)
        buffer.moveReaderIndex(forwardBy: skipped)
        inboundPayloadLeft -= skipped
      } else if let header = HTTP2FrameHeader(peekingAt: buffer) {
        guard header.isWellFormedPingRequest, sentCallTrafficSincePing else {
          if header.isPingRequest { sentCallTrafficSincePing = false }
          buffer.moveReaderIndex(forwardBy: HTTP2FrameHeader.size)
          inboundPayloadLeft = header.length
          continue
        }
        guard buffer.readableBytes >= HTTP2FrameHeader.size + header.length else { break scanning }
        forward(received, from: forwardFrom, to: buffer.readerIndex, context: context)
        buffer.moveReaderIndex(forwardBy: HTTP2FrameHeader.size)
        answerPing(buffer.readSlice(length: header.length)!, context: context)
        forwardFrom = buffer.readerIndex
      } else {
        break scanning
      }
    }
    forward(received, from: forwardFrom, to: buffer.readerIndex, context: context)
    if buffer.readableBytes > 0 { held = buffer.slice() }
  }

  /// The acknowledgements of a read go out with the first flush after it: the answers of the
  /// calls that read completed, when their handlers answer on this event loop before its next
  /// turn (grpc-go pings along with nearly every request, so a flush of its own would cost a write
  /// to the socket and a read at the client for every call), or else a flush of their own on
  /// that turn.
  func channelReadComplete(context: ChannelHandlerContext) {
    if mustFlush, !flushScheduled {
      flushScheduled = true
      context.eventLoop.assumeIsolated().execute { [self] in
        flushScheduled = false
        if mustFlush { flush(context: context) }
      }
    }
    context.fireChannelReadComplete()
  }

  private func readPreface(_ buffer: inout ByteBuffer) {
    while prefaceReceived < Self.clientPreface.count, let byte = buffer.readInteger(as: UInt8.self) {
      guard byte == Self.clientPreface[prefaceReceived] else {
        // Not HTTP/2: the HTTP/2 handler answers that; the guard steps aside.
        tracking = false
        return
      }
      prefaceReceived += 1
    }
    if prefaceReceived == Self.clientPreface.count { prefaceDeadline?.cancel() }
  }

  private func forward(_ buffer: ByteBuffer, from start: Int, to end: Int, context: ChannelHandlerContext) {
    guard end > start, let slice = buffer.getSlice(at: start, length: end - start) else { return }
    context.fireChannelRead(wrapInboundOut(slice))
  }

  private func answerPing(_ opaque: ByteBuffer, context: ChannelHandlerContext) {
    sentCallTrafficSincePing = false
    pendingAcks.append(HTTP2FrameHeader.pingAck(opaque, allocator: context.channel.allocator))
    writePendingAcks(context: context)
    mustFlush = true
  }

  // MARK: Outbound

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    switch unwrapOutboundIn(data) {
    case .byteBuffer(let bytes):
      outbound.scan(bytes) { header in
        if header.carriesCallTraffic { sentCallTrafficSincePing = true }
      }
    case .fileRegion:
      // gRPC never writes files; should anything, the guard can no longer tell frames apart.
      tracking = false
    }
    context.write(data, promise: promise)
    writePendingAcks(context: context)
  }

  func flush(context: ChannelHandlerContext) {
    mustFlush = false
    context.flush()
  }

  /// Writes the queued acknowledgements if the outbound stream is between frames.
  private func writePendingAcks(context: ChannelHandlerContext) {
    guard !pendingAcks.isEmpty, outbound.atFrameBoundary else { return }
    for ack in pendingAcks { context.write(wrapOutboundOut(.byteBuffer(ack)), promise: nil) }
    pendingAcks.removeAll(keepingCapacity: true)
  }
}
