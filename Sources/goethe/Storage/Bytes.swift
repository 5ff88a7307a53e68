/// Big-endian encoding for keys and values, so that LevelDB's bytewise order is numeric order.
extension Array where Element == UInt8 {
  mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
    Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
  }
}

extension UnsafeRawBufferPointer {
  /// Reads a big-endian integer at `offset`; the caller has checked the length.
  func bigEndian<T: FixedWidthInteger>(at offset: Int, as: T.Type = T.self) -> T {
    T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
  }
}
