import Foundation
package import NIOCore

/// The `SubscribeResponse` that carries a batch of events, written and read by hand.
///
/// It is the message a replay sends by the million. SwiftProtobuf builds a message value per
/// event and measures every nested message again at each level it writes (an event three times),
/// which took a fifth of the daemon's CPU during a replay; reading it back took a third of the
/// reader's. These are the bytes SwiftProtobuf writes for the same message (fields in number
/// order, default values left out), which the tests compare; ``events(in:topic:)`` reads that
/// canonical form and leaves anything else to SwiftProtobuf.
package enum SubscribeEventsWire {
  // Field numbers of goethe.proto: SubscribeResponse.events = 2, EventBatch.events = 1, Event.id =
  // 1, .topic = 2, .payload = 3, .sequence = 4, .time_unix_nano = 5, Topic.id = 1.
  static let responseEvents: UInt8 = 2 << 3 | WireType.length
  static let batchEvent: UInt8 = 1 << 3 | WireType.length
  static let eventID: UInt8 = 1 << 3 | WireType.length
  static let eventTopic: UInt8 = 2 << 3 | WireType.length
  static let eventPayload: UInt8 = 3 << 3 | WireType.length
  static let eventSequence: UInt8 = 4 << 3 | WireType.varint
  static let eventTime: UInt8 = 5 << 3 | WireType.varint
  static let topicID: UInt8 = 1 << 3 | WireType.length

  private enum WireType {
    static let varint: UInt8 = 0
    static let length: UInt8 = 2
  }

  // MARK: Writing

  /// `events` as one gRPC frame of a `SubscribeResponse`; `compact` leaves out each event's id
  /// string and topic, as `compact_events` asks.
  package static func frame(_ events: [StoredEvent], compact: Bool) -> ByteBuffer {
    var batchSize = 0
    for event in events {
      let size = eventSize(event, compact: compact)
      batchSize += 1 + varintSize(UInt64(size)) + size
    }
    let messageSize = 1 + varintSize(UInt64(batchSize)) + batchSize
    let frameSize = GRPCFrameBytes.prefixSize + messageSize
    var buffer = ByteBufferAllocator().buffer(capacity: frameSize)
    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: frameSize) { raw in
      var out = Writer(raw)
      out.byte(0)
      out.bigEndian(UInt32(messageSize))
      out.byte(responseEvents)
      out.varint(UInt64(batchSize))
      for event in events {
        out.byte(batchEvent)
        out.varint(UInt64(eventSize(event, compact: compact)))
        write(event, compact: compact, to: &out)
      }
      precondition(out.offset == frameSize, "a SubscribeResponse frame was measured wrong")
      return frameSize
    }
    return buffer
  }

  private static func topicMessageSize(_ topic: String) -> Int {
    topic.utf8.isEmpty ? 0 : 1 + varintSize(UInt64(topic.utf8.count)) + topic.utf8.count
  }

  private static func eventSize(_ event: StoredEvent, compact: Bool) -> Int {
    var size = 0
    if !compact {
      let digits = decimalDigits(event.id)
      let topicSize = topicMessageSize(event.topic)
      size += 1 + varintSize(UInt64(digits)) + digits
      size += 1 + varintSize(UInt64(topicSize)) + topicSize
    }
    if !event.payload.isEmpty { size += 1 + varintSize(UInt64(event.payload.count)) + event.payload.count }
    if event.sequence != 0 { size += 1 + varintSize(event.sequence) }
    if event.id != 0 { size += 1 + varintSize(event.id) }
    return size
  }

  private static func write(_ event: StoredEvent, compact: Bool, to out: inout Writer) {
    if !compact {
      let topicSize = topicMessageSize(event.topic)
      out.byte(eventID)
      out.varint(UInt64(decimalDigits(event.id)))
      out.decimal(event.id)
      out.byte(eventTopic)
      out.varint(UInt64(topicSize))
      if topicSize > 0 {
        out.byte(topicID)
        out.varint(UInt64(event.topic.utf8.count))
        out.bytes(event.topic.utf8)
      }
    }
    if !event.payload.isEmpty {
      out.byte(eventPayload)
      out.varint(UInt64(event.payload.count))
      event.payload.withUnsafeBytes { out.bytes($0) }
    }
    if event.sequence != 0 {
      out.byte(eventSequence)
      out.varint(event.sequence)
    }
    if event.id != 0 {
      out.byte(eventTime)
      out.varint(event.id)
    }
  }

  private static func varintSize(_ value: UInt64) -> Int {
    (64 - value.leadingZeroBitCount + 6) / 7 + (value == 0 ? 1 : 0)
  }

  private static func decimalDigits(_ value: UInt64) -> Int {
    var digits = 1
    var rest = value / 10
    while rest > 0 {
      digits += 1
      rest /= 10
    }
    return digits
  }

  /// Writes into memory measured beforehand.
  private struct Writer {
    let base: UnsafeMutableRawBufferPointer
    var offset = 0

    init(_ base: UnsafeMutableRawBufferPointer) { self.base = base }

    mutating func byte(_ value: UInt8) {
      base[offset] = value
      offset += 1
    }

    mutating func bigEndian(_ value: UInt32) {
      base.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self)
      offset += 4
    }

    mutating func varint(_ value: UInt64) {
      var rest = value
      while rest >= 0x80 {
        byte(UInt8(truncatingIfNeeded: rest) | 0x80)
        rest >>= 7
      }
      byte(UInt8(rest))
    }

    mutating func decimal(_ value: UInt64) {
      let digits = decimalDigits(value)
      var rest = value
      for index in stride(from: offset + digits - 1, through: offset, by: -1) {
        base[index] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
      }
      offset += digits
    }

    mutating func bytes(_ source: some Collection<UInt8>) {
      let target = UnsafeMutableRawBufferPointer(rebasing: base[offset..<offset + source.count])
      target.copyBytes(from: source)
      offset += source.count
    }
  }
}
