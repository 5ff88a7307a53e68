import GoetheKit

/// The producer stamps of an append: one producer's batches with consecutive sequence numbers from
/// `firstSequence`, each of `counts[i]` events, appended together in that order. A stream's
/// batches that arrive together share one append; a single batch is a run of one.
struct ProducerRun: Equatable, Sendable {
  var producer: String
  var firstSequence: UInt64
  var counts: [UInt32]

  init(producer: String, firstSequence: UInt64, counts: [UInt32]) {
    self.producer = producer
    self.firstSequence = firstSequence
    self.counts = counts
  }

  init(_ stamp: ProducerStamp, count: Int) {
    self.init(producer: stamp.producer, firstSequence: stamp.sequence, counts: [UInt32(count)])
  }

  var eventCount: Int { counts.reduce(0) { $0 + Int($1) } }

  /// Each batch's stamp, and where its events start among the append's (0 for the first batch).
  var batches: [(stamp: ProducerStamp, offset: UInt64, count: UInt32)] {
    var offset: UInt64 = 0
    return counts.enumerated().map { index, count in
      defer { offset += UInt64(count) }
      return (ProducerStamp(producer: producer, sequence: firstSequence + UInt64(index)), offset, count)
    }
  }

  /// Producer length u8, producer, first sequence u64, batch count u16, each count u32.
  var encoded: [UInt8] {
    var value: [UInt8] = []
    let name = Array(producer.utf8)
    value.append(UInt8(name.count))
    value += name
    value.appendBigEndian(firstSequence)
    value.appendBigEndian(UInt16(counts.count))
    for count in counts { value.appendBigEndian(count) }
    return value
  }

  /// Decodes a run from the start of `bytes`; returns it with the bytes it took.
  static func decode(_ bytes: UnsafeRawBufferPointer) throws(GoetheError) -> (run: ProducerRun, size: Int) {
    guard bytes.count >= 1 else { throw KeySchema.corrupted("producer stamp") }
    let length = Int(bytes[0])
    guard bytes.count >= 1 + length + 10 else { throw KeySchema.corrupted("producer stamp") }
    let producer = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[1..<(1 + length)]), as: UTF8.self)
    let firstSequence: UInt64 = bytes.bigEndian(at: 1 + length)
    let batches = Int(bytes.bigEndian(at: 9 + length, as: UInt16.self))
    let size = 11 + length + 4 * batches
    guard batches > 0, bytes.count >= size else { throw KeySchema.corrupted("producer stamp") }
    let counts = (0..<batches).map { bytes.bigEndian(at: 11 + length + 4 * $0, as: UInt32.self) }
    return (ProducerRun(producer: producer, firstSequence: firstSequence, counts: counts), size)
  }
}
