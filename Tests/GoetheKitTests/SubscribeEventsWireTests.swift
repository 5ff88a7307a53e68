import Foundation
import GRPCCore
import NIOCore
import SwiftProtobuf
import TestSupport
import Testing

@testable import GoetheKit

/// The hand-written `SubscribeResponse` of a batch of events against SwiftProtobuf's.
@Suite struct SubscribeEventsWireTests {
  /// Events at the edges of every varint and field the message has.
  static let edgeEvents: [StoredEvent] = [
    StoredEvent(topic: "orders", id: 1_556_841_600_123_456_789, sequence: 1, payload: Data("hello".utf8)),
    StoredEvent(topic: "", id: 0, sequence: 0, payload: Data()),
    StoredEvent(topic: "ünïcødé-✓", id: .max, sequence: .max, payload: Data(repeating: 7, count: 127)),
    StoredEvent(
      topic: String(repeating: "t", count: 128), id: 127, sequence: 128, payload: Data(repeating: 1, count: 128)),
    StoredEvent(topic: "big", id: 9, sequence: 16_384, payload: Data(repeating: 2, count: 20_000)),
  ]

  static func reference(_ events: [StoredEvent], compact: Bool) -> Io_Typusomega_Goethe_SubscribeResponse {
    .with { $0.events.events = events.map { compact ? .init(compact: $0) : .init($0) } }
  }

  static func randomEvents(_ generator: inout some RandomNumberGenerator) -> [StoredEvent] {
    (0..<Int.random(in: 0...40, using: &generator)).map { _ in
      StoredEvent(
        topic: ["", "a", "orders.eu-west", String(repeating: "x", count: 200)].randomElement(using: &generator)!,
        id: [0, 1, UInt64.random(in: 0...UInt64.max, using: &generator)].randomElement(using: &generator)!,
        sequence: [0, UInt64.random(in: 0...300, using: &generator), .max].randomElement(using: &generator)!,
        payload: Data(
          (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }
  }

  @Test(arguments: [false, true]) func writesTheBytesSwiftProtobufWrites(compact: Bool) throws {
    var generator = SplitMix64(seed: 6)
    let batches =
      [[], Self.edgeEvents, Array(repeating: Self.edgeEvents[0], count: 2_000)]
      + (0..<200).map { _ in Self.randomEvents(&generator) }
    for events in batches {
      let frame = SubscribeEventsWire.frame(events, compact: compact)
      #expect(
        Array(frame.readableBytesView)
          == Array(try Self.reference(events, compact: compact).grpcFrame().readableBytesView))
    }
  }

  @Test(arguments: [false, true]) func readsWhatItWritesWithoutSwiftProtobuf(compact: Bool) throws {
    var generator = SplitMix64(seed: 7)
    for batch in [Self.edgeEvents] + (0..<200).map({ _ in Self.randomEvents(&generator) }) {
      // A compact event names its id by its time alone, which is never 0.
      let events = batch.filter { !compact || $0.id != 0 }
      guard !events.isEmpty else { continue }
      let message = try Self.reference(events, compact: compact).serializedBytes() as [UInt8]
      let read = message.withUnsafeBytes { SubscribeEventsWire.events(in: $0, topic: "the-subscription") }
      let expected = try events.map {
        try StoredEvent(compact ? .init(compact: $0) : .init($0), topic: "the-subscription")
      }
      #expect(read == expected)
    }
  }

  /// What the deserializer makes of `message`, and what SwiftProtobuf and the conversion to
  /// `StoredEvent` make of it, as comparable outcomes.
  static func outcomes(of message: [UInt8]) -> (read: String, reference: String) {
    func describe(_ body: () throws -> SubscribeMessage) -> String {
      do {
        return switch try body() {
        case .start(let start): "start \(start)"
        case .events(let events): "events \(events)"
        case .other: "other"
        }
      } catch { return "refused" }
    }
    let read = describe { try SubscribeMessageDeserializer(topic: "t").deserialize(GRPCFrameBytes(message)) }
    let reference = describe {
      let response = try Io_Typusomega_Goethe_SubscribeResponse(serializedBytes: message)
      return switch response.kind {
      case .start(let start): .start(start)
      case .events(let batch): .events(try batch.events.map { try StoredEvent($0, topic: "t") })
      case nil: .other
      }
    }
    return (read, reference)
  }

  @Test func messagesOutsideTheWrittenFormReadAsSwiftProtobufReadsThem() throws {
    func event(_ build: (inout Io_Typusomega_Goethe_Event) -> Void) -> [UInt8] {
      var event = Io_Typusomega_Goethe_Event()
      build(&event)
      return try! event.serializedBytes()
    }
    func batch(_ events: [UInt8]...) -> [UInt8] {
      events.flatMap { [0x0a] + varint($0.count) + $0 }
    }
    func response(_ batches: [UInt8]...) -> [UInt8] {
      batches.flatMap { [0x12] + varint($0.count) + $0 }
    }
    let plain = event {
      $0.id = "42"
      $0.payload = Data("p".utf8)
    }
    let cases: [[UInt8]] = [
      // A field each reader has no use for: an unknown field, and a start message.
      response(batch(plain + [0x30, 0x01])),
      try Io_Typusomega_Goethe_SubscribeResponse.with { $0.start.headSequence = 3 }.serializedBytes(),
      [],
      // Fields twice: the last value wins, topics merge, and batches join.
      response(batch(plain + event { $0.id = "43" })),
      response(batch(event { $0.topic.id = "first" } + [0x12, 0x00] + event { $0.id = "1" })),
      response(batch(plain), batch(plain, event { $0.timeUnixNano = 5 })),
      // Ids the decimal reader leaves to the reference: signs, non-digits, overflow, none at all.
      response(batch(event { $0.id = "+5" })), response(batch(event { $0.id = "5x" })),
      response(batch(event { $0.id = "18446744073709551616" })), response(batch(event { $0.payload = Data([1]) })),
      response(batch(event { $0.timeUnixNano = 77 })),
      // Malformed: a varint of eleven bytes, a length past the end, a topic that is not UTF-8.
      response(batch([0x20] + [UInt8](repeating: 0xff, count: 10) + [0x01])),
      [0x12, 0x05, 0x0a, 0x09],
      response(batch(plain + [0x12, 0x03, 0x0a, 0x01, 0xff])),
    ]
    for message in cases {
      let (read, reference) = Self.outcomes(of: message)
      #expect(read == reference, "\(message)")
    }
  }

  @Test func anyDamageReadsAsSwiftProtobufReadsIt() throws {
    var generator = SplitMix64(seed: 8)
    for _ in 0..<2_000 {
      let events = Self.randomEvents(&generator).prefix(3)
      var message =
        try Self.reference(Array(events), compact: Bool.random(using: &generator)).serializedBytes() as [UInt8]
      guard !message.isEmpty else { continue }
      switch Int.random(in: 0..<3, using: &generator) {
      case 0: message.removeLast(Int.random(in: 1...message.count, using: &generator))
      case 1:
        message[Int.random(in: 0..<message.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
      default:
        message.insert(
          UInt8.random(in: 0...255, using: &generator), at: Int.random(in: 0...message.count, using: &generator))
      }
      let (read, reference) = Self.outcomes(of: message)
      #expect(read == reference, "\(message)")
    }
  }
}

private func varint(_ value: Int) -> [UInt8] {
  var rest = UInt64(value)
  var bytes: [UInt8] = []
  while rest >= 0x80 {
    bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
    rest >>= 7
  }
  return bytes + [UInt8(rest)]
}
