package import NIOCore

/// Cuts gRPC's length-prefixed messages (a flag byte and a 4-byte big-endian length, then the
/// message) out of a request's or a response's DATA frames, however the frames split them.
///
/// A message's length is checked against the limit as soon as its prefix arrives, so a message
/// over it is refused before it is read. It holds on to no more than the message it is cutting
/// and the frame that brought it: the bytes of the messages cut out already are let go as the next
/// frame arrives, however long the stream runs and wherever its frames end.
package struct GRPCMessageDeframer {
  package enum Failure: Error, Equatable {
    /// A message declared `length` bytes, over the limit.
    case tooLarge(length: Int)
    /// A message is marked compressed, but the call negotiated no compression.
    case compressed
  }

  package static let prefixSize = 5

  package let limit: Int
  private var pending: ByteBuffer?

  package init(limit: Int) { self.limit = limit }

  /// True between messages: nothing of a message is held.
  package var isEmpty: Bool { pending.map { $0.readableBytes == 0 } ?? true }

  /// The storage it keeps alive for a message not yet complete.
  package var pendingStorage: Int { pending.map { $0.readableBytes == 0 ? 0 : $0.storageCapacity } ?? 0 }

  /// The bytes of storage it holds on to, read or not.
  package var heldCapacity: Int { pending?.capacity ?? 0 }

  /// `bytes` in storage of about their own size: copied out of a larger buffer they share, such
  /// as the read they came in, so that holding them does not keep all of it alive.
  package static func inOwnStorage(_ bytes: ByteBuffer) -> ByteBuffer {
    bytes.storageCapacity > 2 * bytes.readableBytes + 1024 ? ByteBuffer(bytes: bytes.readableBytesView) : bytes
  }

  /// Adds `bytes` and returns every message they complete, in order.
  package mutating func process(_ bytes: ByteBuffer) throws(Failure) -> [ByteBuffer] {
    if pending == nil || pending!.readableBytes == 0 {
      pending = bytes
    } else {
      // Drops what was read (copying the unread rest, at most one message, when the messages cut
      // out share the storage), so the buffer does not grow with everything the stream sent.
      if pending!.readerIndex > 0 { pending!.discardReadBytes() }
      var more = bytes
      pending!.writeBuffer(&more)
    }
    var messages: [ByteBuffer] = []
    while var buffer = pending, buffer.readableBytes >= Self.prefixSize {
      let flag = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self)!
      let length = Int(buffer.getInteger(at: buffer.readerIndex + 1, as: UInt32.self)!)
      guard length <= limit else { throw .tooLarge(length: length) }
      guard flag == 0 else { throw .compressed }
      guard buffer.readableBytes >= Self.prefixSize + length else { break }
      buffer.moveReaderIndex(forwardBy: Self.prefixSize)
      messages.append(buffer.readSlice(length: length)!)
      pending = buffer
    }
    // The start of a message is kept in storage of its own size, not in the read buffer (of up to
    // 64 KiB) it came in: a client that sends the first bytes of many messages must not keep
    // many read buffers alive. Between messages nothing is kept, not even the read emptied.
    if let rest = pending { pending = rest.readableBytes > 0 ? Self.inOwnStorage(rest) : nil }
    return messages
  }
}
