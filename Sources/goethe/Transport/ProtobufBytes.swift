import NIOCore
import SwiftProtobuf

/// A received message's bytes, read by SwiftProtobuf in place.
struct ReceivedBytes: SwiftProtobufContiguousBytes {
  var buffer: ByteBuffer

  init(_ buffer: ByteBuffer) { self.buffer = buffer }

  init(repeating: UInt8, count: Int) {
    buffer = ByteBuffer(repeating: repeating, count: count)
  }

  init<S: Sequence>(_ sequence: S) where S.Element == UInt8 {
    buffer = ByteBuffer(bytes: sequence)
  }

  var count: Int { buffer.readableBytes }

  func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try buffer.withUnsafeReadableBytes(body)
  }

  mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
    try buffer.withUnsafeMutableReadableBytes(body)
  }
}

/// A message serialized straight into a gRPC frame: SwiftProtobuf writes after the five bytes of
/// the length prefix, which are filled in afterwards, so the frame takes one allocation.
struct FramedBytes: SwiftProtobufContiguousBytes {
  static let prefixSize = 5
  private(set) var buffer: ByteBuffer

  init(repeating: UInt8, count: Int) {
    buffer = ByteBuffer(repeating: repeating, count: Self.prefixSize + count)
    buffer.setInteger(UInt8(0), at: 0)
    buffer.setInteger(UInt32(count), at: 1)
  }

  init<S: Sequence>(_ sequence: S) where S.Element == UInt8 {
    let bytes = Array(sequence)
    self.init(repeating: 0, count: bytes.count)
    buffer.setBytes(bytes, at: Self.prefixSize)
  }

  var count: Int { buffer.readableBytes - Self.prefixSize }

  func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try buffer.withUnsafeReadableBytes { try body(UnsafeRawBufferPointer(rebasing: $0[Self.prefixSize...])) }
  }

  mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
    try buffer.withUnsafeMutableReadableBytes {
      try body(UnsafeMutableRawBufferPointer(rebasing: $0[Self.prefixSize...]))
    }
  }
}

extension SwiftProtobuf.Message {
  /// The message as one gRPC frame: an uncompressed flag, its length, its bytes.
  func grpcFrame() throws -> ByteBuffer {
    let framed: FramedBytes = try serializedBytes()
    return framed.buffer
  }

  init(grpcMessage buffer: ByteBuffer) throws {
    try self.init(serializedBytes: ReceivedBytes(buffer))
  }
}
