import GoetheKit
import NIOCore
import NIOHPACK
import NIOHTTP2

/// Refuses a request message over the size limit with RESOURCE_EXHAUSTED naming the limit.
///
/// gRPC's transport enforces the same limit by resetting the stream (RST_STREAM `CANCEL`), which a
/// client reports as a cancelled call with no reason. This handler sits first on each HTTP/2
/// stream, sees a message's length prefix before the gRPC handler does, and ends the call with the
/// status and the `goethe-error` mark of any other refusal; the message itself is never buffered.
final class RequestSizeLimit: ChannelDuplexHandler {
  typealias InboundIn = HTTP2Frame.FramePayload
  typealias InboundOut = HTTP2Frame.FramePayload
  typealias OutboundIn = HTTP2Frame.FramePayload
  typealias OutboundOut = HTTP2Frame.FramePayload

  private let limit: Int
  private var framing = GRPCMessageFraming()
  private var responseStarted = false
  private var refused = false

  init(limit: Int) {
    self.limit = limit
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard !refused else { return }
    if case .data(let frame) = unwrapInboundIn(data), case .byteBuffer(let bytes) = frame.data,
      let length = framing.firstLength(over: limit, in: bytes)
    {
      refuse(length, context: context)
      return
    }
    context.fireChannelRead(data)
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    guard !refused else {
      promise?.fail(ChannelError.ioOnClosedChannel)
      return
    }
    if case .headers = unwrapOutboundIn(data) { responseStarted = true }
    context.write(data, promise: promise)
  }

  /// Ends the call with its status in trailers (trailers-only if no response began), then closes
  /// the stream so that the client stops sending the rest of the message.
  private func refuse(_ length: Int, context: ChannelHandlerContext) {
    refused = true
    let error = GoetheError(
      .tooLarge,
      "a request message of \(ByteSize(length)) is over the limit of \(ByteSize(limit)); send fewer or smaller events per request"
    ).rpcError
    var trailers = HPACKHeaders()
    if !responseStarted {
      trailers.add(name: ":status", value: "200")
      trailers.add(name: "content-type", value: "application/grpc")
    }
    trailers.add(name: "grpc-status", value: "\(error.code.rawValue)")
    trailers.add(name: "grpc-message", value: Self.percentEncoded(error.message))
    trailers.add(name: GoetheError.originKey, value: "\(GoetheError.Code.tooLarge)")
    context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: trailers, endStream: true))), promise: nil)
    context.close(promise: nil)
  }

  /// gRPC's encoding of `grpc-message`: printable ASCII but `%` as is, every other byte as `%XX`.
  static func percentEncoded(_ text: String) -> String {
    var encoded = ""
    for byte in text.utf8 {
      if (0x20...0x7e).contains(byte), byte != UInt8(ascii: "%") {
        encoded.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
      }
    }
    return encoded
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
