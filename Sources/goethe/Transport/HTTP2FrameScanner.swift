import NIOCore

/// Follows frame boundaries through one direction of an HTTP/2 connection's bytes, however the
/// writes split them, and reports each frame header as it completes.
struct HTTP2FrameScanner {
  /// Bytes of the current frame's payload still to come.
  private var remainingPayload = 0
  /// The first bytes of a header that a write split.
  private var partialHeader: [UInt8] = []

  /// True between frames, where a whole frame of another writer may be put into the stream.
  var atFrameBoundary: Bool { remainingPayload == 0 && partialHeader.isEmpty }

  /// Scans `bytes` and calls `onHeader` for every frame header that completes in them.
  mutating func scan(_ bytes: ByteBuffer, onHeader: (HTTP2FrameHeader) -> Void) {
    var bytes = bytes
    while bytes.readableBytes > 0 {
      if remainingPayload > 0 {
        let skipped = min(remainingPayload, bytes.readableBytes)
        bytes.moveReaderIndex(forwardBy: skipped)
        remainingPayload -= skipped
        continue
      }
      let wanted = HTTP2FrameHeader.size - partialHeader.count
      let taken = bytes.readBytes(length: min(wanted, bytes.readableBytes)) ?? []
      partialHeader += taken
      guard partialHeader.count == HTTP2FrameHeader.size else { return }
      let header = HTTP2FrameHeader(partialHeader)
      partialHeader.removeAll(keepingCapacity: true)
      remainingPayload = header.length
      onHeader(header)
    }
  }
}
