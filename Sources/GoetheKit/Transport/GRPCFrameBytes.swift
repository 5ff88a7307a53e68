import GRPCCore
package import NIOCore
package import SwiftProtobuf

/// A message's bytes inside a gRPC frame (a flag byte and a 4-byte big-endian length, then the
/// message), read and written by SwiftProtobuf in place.
///
/// A message serialized into it is written after the five bytes of the length prefix, which are
/// filled in at once, so a frame to send takes one allocation; a received message is a slice of
/// the DATA frame it arrived in, without a prefix.
package struct GRPCFrameBytes: GRPCContiguousBytes, SwiftProtobufContiguousBytes, Sendable {
  package static let prefixSize = GRPCMessageDeframer.prefixSize

  /// The prefix (when there is one) and the message.
  package private(set) var buffer: ByteBuffer
  private let prefix: Int

  /// A received message, without its prefix.
  package init(received message: ByteBuffer) {
    buffer = message
    prefix = 0
  }

  package init(repeating byte: UInt8, count: Int) {
    buffer = ByteBuffer(repeating: byte, count: Self.prefixSize + count)
    buffer.setInteger(UInt8(0), at: 0)
    buffer.setInteger(UInt32(count), at: 1)
    prefix = Self.prefixSize
  }

  package init<S: Sequence>(_ sequence: S) where S.Element == UInt8 {
    let bytes = Array(sequence)
    self.init(repeating: 0, count: bytes.count)
    buffer.setBytes(bytes, at: Self.prefixSize)
  }

  package var count: Int { buffer.readableBytes - prefix }

  /// The message as one gRPC frame, to send.
  package var frame: ByteBuffer {
    if prefix == Self.prefixSize { return buffer }
    return Self(buffer.readableBytesView).buffer
  }

  package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try buffer.withUnsafeReadableBytes { try body(UnsafeRawBufferPointer(rebasing: $0[prefix...])) }
  }

  package mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
    let prefix = self.prefix
    return try buffer.withUnsafeMutableReadableBytes {
      try body(UnsafeMutableRawBufferPointer(rebasing: $0[prefix...]))
    }
  }
}

extension SwiftProtobuf.Message {
  /// The message as one gRPC frame: an uncompressed flag, its length, its bytes.
  package func grpcFrame() throws -> ByteBuffer {
    let framed: GRPCFrameBytes = try serializedBytes()
    return framed.buffer
  }

  package init(grpcMessage buffer: ByteBuffer) throws {
    try self.init(serializedBytes: GRPCFrameBytes(received: buffer))
  }
}
