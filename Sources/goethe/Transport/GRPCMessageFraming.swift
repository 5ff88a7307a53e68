import NIOCore

/// Follows gRPC's length-prefixed messages (a flag byte and a 4-byte big-endian length, then the
/// message) through a request's DATA frames, however the frames split them.
struct GRPCMessageFraming {
  static let prefixSize = 5

  private var prefix: [UInt8] = []
  /// Bytes of the current message still to come.
  private var remaining = 0

  /// Scans `bytes` and returns the declared length of the first message that exceeds `limit`.
  mutating func firstLength(over limit: Int, in bytes: ByteBuffer) -> Int? {
    var bytes = bytes
    while bytes.readableBytes > 0 {
      if remaining > 0 {
        let skipped = min(remaining, bytes.readableBytes)
        bytes.moveReaderIndex(forwardBy: skipped)
        remaining -= skipped
        continue
      }
      prefix += bytes.readBytes(length: min(Self.prefixSize - prefix.count, bytes.readableBytes)) ?? []
      guard prefix.count == Self.prefixSize else { return nil }
      let length = prefix[1...].reduce(0) { $0 << 8 | Int($1) }
      prefix.removeAll(keepingCapacity: true)
      if length > limit { return length }
      remaining = length
    }
    return nil
  }
}
