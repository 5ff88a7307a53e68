import GoetheKit

/// How a shared consumer delivers, stored with it and changed when a member joins with new values.
struct ConsumerSettings: Equatable, Sendable {
  /// How long a member may hold an event unacknowledged before it goes to another member, in
  /// nanoseconds.
  var ackWait: UInt64 = 30_000_000_000
  /// Deliveries after which an event that is still not acknowledged is parked; 0 for no limit.
  var maxDeliveries: UInt32 = 0
  /// Unacknowledged events each member may hold at once.
  var maxPending: UInt32 = 1_000
  /// The topic parked events are copied to; empty for none.
  var deadLetter = ""
}

/// An event a shared consumer gave up on after its deliveries ran out.
struct ParkedEvent: Equatable, Sendable {
  var id: UInt64
  var sequence: UInt64
  var deliveries: UInt32
}

/// A shared consumer's stored state: what must survive a restart of the leader.
///
/// `floor` (the ack floor) is also written as the consumer's cursor, so that cursor listings and
/// lag show it. `acked` are the events after the floor that are acknowledged already, so that a
/// restart delivers only the others again; `parked` are the events given up on, until replayed.
///
/// Value: ack wait u64, max deliveries u32, max pending u32, dead-letter length u16 and name,
/// floor (``CursorRecord``), acked count u32 and ids u64, parked count u32 and (id u64,
/// sequence u64, deliveries u32) each.
struct ConsumerRecord: Equatable, Sendable {
  var settings = ConsumerSettings()
  var floor = CursorRecord(eventID: 0, sequence: 0, updated: 0)
  var acked: [UInt64] = []
  var parked: [ParkedEvent] = []

  var encoded: [UInt8] {
    var value: [UInt8] = []
    value.reserveCapacity(64 + acked.count * 8 + parked.count * 20)
    value.appendBigEndian(settings.ackWait)
    value.appendBigEndian(settings.maxDeliveries)
    value.appendBigEndian(settings.maxPending)
    let deadLetter = Array(settings.deadLetter.utf8)
    value.appendBigEndian(UInt16(deadLetter.count))
    value += deadLetter
    value += floor.encoded
    value.appendBigEndian(UInt32(acked.count))
    for id in acked { value.appendBigEndian(id) }
    value.appendBigEndian(UInt32(parked.count))
    for event in parked {
      value.appendBigEndian(event.id)
      value.appendBigEndian(event.sequence)
      value.appendBigEndian(event.deliveries)
    }
    return value
  }

  /// A consumer with the default settings that has processed nothing.
  init() {}

  init(settings: ConsumerSettings, floor: CursorRecord, acked: [UInt64], parked: [ParkedEvent]) {
    self.settings = settings
    self.floor = floor
    self.acked = acked
    self.parked = parked
  }

  init(decoding value: UnsafeRawBufferPointer) throws(GoetheError) {
    var reader = ByteReader(value)
    settings.ackWait = try reader.read()
    settings.maxDeliveries = try reader.read()
    settings.maxPending = try reader.read()
    let nameLength: UInt16 = try reader.read()
    settings.deadLetter = try reader.text(Int(nameLength))
    floor = try CursorRecord(decoding: try reader.bytes(CursorRecord.encodedSize))
    let ackedCount: UInt32 = try reader.read()
    acked = try (0..<ackedCount).map { _ throws(GoetheError) in try reader.read() }
    let parkedCount: UInt32 = try reader.read()
    parked = try (0..<parkedCount).map { _ throws(GoetheError) in
      ParkedEvent(id: try reader.read(), sequence: try reader.read(), deliveries: try reader.read())
    }
    guard reader.isAtEnd else { throw KeySchema.corrupted("consumer") }
  }
}

/// Reads big-endian fields one after another; a value cut short is a corrupted record.
private struct ByteReader {
  let value: UnsafeRawBufferPointer
  var offset = 0

  init(_ value: UnsafeRawBufferPointer) { self.value = value }

  var isAtEnd: Bool { offset == value.count }

  mutating func bytes(_ count: Int) throws(GoetheError) -> UnsafeRawBufferPointer {
    guard count <= value.count - offset else { throw KeySchema.corrupted("consumer") }
    defer { offset += count }
    return UnsafeRawBufferPointer(rebasing: value[offset..<(offset + count)])
  }

  mutating func read<Value: FixedWidthInteger>() throws(GoetheError) -> Value {
    let field = try bytes(MemoryLayout<Value>.size)
    return field.bigEndian(at: 0)
  }

  mutating func text(_ count: Int) throws(GoetheError) -> String {
    String(decoding: try bytes(count), as: UTF8.self)
  }
}
