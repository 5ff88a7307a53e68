import Foundation

/// The payloads a run writes, all of the run's size: random capital letters, readable when someone
/// tails a bench topic, and varied enough that the store's block compression does not flatter the
/// figures. They come from a pool of distinct payloads, used in turn.
struct BenchPayloads: Sendable {
  /// The pool holds up to this many payloads, and up to `maxPoolBytes` in all.
  private static let maxPoolCount = 1_024
  private static let maxPoolBytes = 16 << 20

  /// The bytes of a send time stamped at the start of a payload.
  static let stampSize = MemoryLayout<UInt64>.size

  private let pool: [Data]

  init(size: Int) {
    let count = max(1, min(Self.maxPoolCount, Self.maxPoolBytes / size))
    var generator = SystemRandomNumberGenerator()
    pool = (0..<count).map { _ in Self.letters(size, using: &generator) }
  }

  /// `count` random capital letters, eight from each random number.
  private static func letters(_ count: Int, using generator: inout some RandomNumberGenerator) -> Data {
    var letters = Data(capacity: count)
    while letters.count < count {
      withUnsafeBytes(of: generator.next()) { random in
        letters.append(contentsOf: random.prefix(count - letters.count).map { UInt8(ascii: "A") + $0 % 26 })
      }
    }
    return letters
  }

  /// The payload of a client's `index`th event.
  subscript(index: Int) -> Data { pool[index % pool.count] }

  /// The payload of a client's `index`th event, starting with `stamp` (8 bytes, little-endian).
  func stamped(_ index: Int, with stamp: UInt64) -> Data {
    var payload = self[index]
    withUnsafeBytes(of: stamp.littleEndian) { payload.replaceSubrange(0..<Self.stampSize, with: $0) }
    return payload
  }

  /// The stamp at the start of `payload`, as ``stamped(_:with:)`` wrote it.
  static func stamp(of payload: Data) -> UInt64? {
    guard payload.count >= stampSize else { return nil }
    return payload.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
  }
}
