import NIOCore

/// The nine bytes that open every HTTP/2 frame (RFC 9113, section 4.1).
struct HTTP2FrameHeader: Equatable {
  static let size = 9

  static let dataType: UInt8 = 0x0
  static let headersType: UInt8 = 0x1
  static let pingType: UInt8 = 0x6
  static let ackFlag: UInt8 = 0x1

  /// The payload's length, not counting the header.
  var length: Int
  var type: UInt8
  var flags: UInt8
  var streamID: UInt32

  /// Reads a header at the reader index of `buffer` without moving it; nil while fewer than nine
  /// bytes are there.
  init?(peekingAt buffer: ByteBuffer) {
    guard buffer.readableBytes >= Self.size,
      let bytes = buffer.getBytes(at: buffer.readerIndex, length: Self.size)
    else { return nil }
    self.init(bytes)
  }

  init(_ bytes: [UInt8]) {
    length = Int(bytes[0]) << 16 | Int(bytes[1]) << 8 | Int(bytes[2])
    type = bytes[3]
    flags = bytes[4]
    streamID =
      (UInt32(bytes[5]) << 24 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 8 | UInt32(bytes[8])) & 0x7fff_ffff
  }

  /// A PING that is not itself an acknowledgement.
  var isPingRequest: Bool { type == Self.pingType && flags & Self.ackFlag == 0 }

  /// A PING a peer expects an answer to: on the connection (stream 0), with the eight opaque bytes
  /// the protocol requires. Malformed pings are left to the HTTP/2 handler, which rejects them.
  var isWellFormedPingRequest: Bool { isPingRequest && streamID == 0 && length == 8 }

  /// Whether the frame carries a call's headers or messages.
  var carriesCallTraffic: Bool { type == Self.dataType || type == Self.headersType }

  /// The PING frame that acknowledges a ping with these opaque bytes.
  static func pingAck(_ opaque: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer {
    var frame = allocator.buffer(capacity: size + 8)
    frame.writeBytes([0, 0, 8, pingType, ackFlag, 0, 0, 0, 0])
    frame.writeImmutableBuffer(opaque)
    return frame
  }
}
