import Foundation

extension SubscribeEventsWire {
  /// The events of a `SubscribeResponse` in the form ``frame(_:compact:)`` writes, each event
  /// without a topic given `topic`; nil for any other message, and for any field, encoding or id
  /// this reader does not take, which SwiftProtobuf then reads (and refuses, if it must).
  ///
  /// A field that comes twice keeps its last value and the batches of a repeated `events` field
  /// are joined, as protobuf merges them.
  static func events(in message: UnsafeRawBufferPointer, topic: String) -> [StoredEvent]? {
    var response = Reader(message, 0..<message.count)
    var events: [StoredEvent] = []
    guard !response.atEnd else { return nil }
    while !response.atEnd {
      guard response.byte() == responseEvents, var batch = response.field() else { return nil }
      while !batch.atEnd {
        guard batch.byte() == batchEvent, var fields = batch.field(),
          let event = event(&fields, topic: topic)
        else { return nil }
        events.append(event)
      }
    }
    return events
  }

  private static func event(_ fields: inout Reader, topic defaultTopic: String) -> StoredEvent? {
    var id: Range<Int>?
    var topic: String?
    var payload: Range<Int>?
    var sequence: UInt64 = 0
    var time: UInt64 = 0
    while !fields.atEnd {
      switch fields.byte() {
      case eventID:
        guard let range = fields.length() else { return nil }
        id = range
      case eventTopic:
        guard var topicFields = fields.field() else { return nil }
        topic = topic ?? ""
        while !topicFields.atEnd {
          guard topicFields.byte() == topicID, let range = topicFields.length(),
            let name = String(validating: topicFields.bytes[range], as: UTF8.self)
          else { return nil }
          topic = name
        }
      case eventPayload:
        guard let range = fields.length() else { return nil }
        payload = range
      case eventSequence:
        guard let value = fields.varint() else { return nil }
        sequence = value
      case eventTime:
        guard let value = fields.varint() else { return nil }
        time = value
      default:
        return nil
      }
    }
    guard let eventID = resolvedID(id.map { fields.bytes[$0] }, time: time) else { return nil }
    return StoredEvent(
      topic: topic ?? defaultTopic, id: eventID, sequence: sequence,
      payload: payload.map(fields.copy) ?? Data())
  }

  /// The event's id as `StoredEvent.init(_:topic:)` takes it: the decimal id string, or without
  /// one the commit time; nil where that initializer would refuse, or would read more than digits.
  private static func resolvedID(_ decimal: Slice<UnsafeRawBufferPointer>?, time: UInt64) -> UInt64? {
    guard let decimal, !decimal.isEmpty else { return time == 0 ? nil : time }
    var value: UInt64 = 0
    for digit in decimal {
      guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
      let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
      let (sum, carry) = times10.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
      guard !overflow, !carry else { return nil }
      value = sum
    }
    return value
  }

  /// Reads the fields of one message within `bytes`.
  private struct Reader {
    let bytes: UnsafeRawBufferPointer
    private var offset: Int
    private let end: Int

    init(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) {
      self.bytes = bytes
      offset = range.lowerBound
      end = range.upperBound
    }

    var atEnd: Bool { offset == end }

    /// The next byte, which is taken as a whole tag: every tag this reader takes is one byte long.
    mutating func byte() -> UInt8? {
      guard offset < end else { return nil }
      defer { offset += 1 }
      return bytes[offset]
    }

    mutating func varint() -> UInt64? {
      var value: UInt64 = 0
      for shift in stride(from: 0, to: 64, by: 7) {
        guard let byte = byte(), shift < 63 || byte <= 1 else { return nil }
        value |= UInt64(byte & 0x7f) << shift
        if byte < 0x80 { return value }
      }
      return nil
    }

    /// The bytes of a length-delimited field.
    mutating func length() -> Range<Int>? {
      guard let length = varint(), length <= UInt64(end - offset) else { return nil }
      defer { offset += Int(length) }
      return offset..<offset + Int(length)
    }

    /// The bytes of `range`, copied straight from memory: `Data` made from a slice goes through
    /// generic code resolved at run time, which cost a fifth of a replaying reader's CPU.
    func copy(_ range: Range<Int>) -> Data {
      guard let base = bytes.baseAddress, !range.isEmpty else { return Data() }
      return Data(bytes: base + range.lowerBound, count: range.count)
    }

    /// A reader of an embedded message.
    mutating func field() -> Reader? {
      length().map { Reader(bytes, $0) }
    }
  }
}
