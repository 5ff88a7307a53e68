import Foundation
import GoetheKit
import TestSupport
import Testing

@testable import goethe

/// Seeded fuzzing of the key schema: what the store encodes decodes to the same values, and any
/// bytes at all (random, or an encoding mutated) decode without trapping, either to values that
/// encode back to the very same bytes or to nothing. GOETHE_FUZZ_SEED replays a run.
@Suite struct KeySchemaFuzzTests {
  @Test func encodingsDecodeToWhatWasEncoded() throws {
    var random = SplitMix64(seed: Fuzzing.seed)
    for _ in 0..<Fuzzing.iterations(20_000) {
      let topic = UInt32.random(in: 0...UInt32.max, using: &random)
      let (id, bucket) = (random.next(), random.next())
      let event = KeySchema.eventKey(topic: topic, id: id).withUnsafeBytes(KeySchema.decodeEventKey)
      #expect(event?.topic == topic && event?.id == id, "seed \(Fuzzing.seed)")
      let index = KeySchema.timeIndexKey(topic: topic, bucket: bucket).withUnsafeBytes(KeySchema.decodeTimeIndexKey)
      #expect(index?.topic == topic && index?.bucket == bucket, "seed \(Fuzzing.seed)")

      let consumer = Self.consumerName(&random)
      let cursorKey = KeySchema.cursorKey(topic: topic, consumer: consumer)
      #expect(
        cursorKey.withUnsafeBytes { KeySchema.decodeCursorKey($0, topic: topic) } == consumer, "seed \(Fuzzing.seed)")
      #expect(
        cursorKey.withUnsafeBytes { KeySchema.decodeCursorKey($0, topic: topic &+ 1) } == nil, "seed \(Fuzzing.seed)")

      let granularity = try Granularity(seconds: 60 * UInt32.random(in: 1...1_440, using: &random))
      let record = TopicRecord(number: topic, granularity: granularity, created: random.next())
      #expect((try? record.encoded.withUnsafeBytes { try TopicRecord(decoding: $0) }) == record, "seed \(Fuzzing.seed)")
      let cursor = CursorRecord(eventID: id, sequence: random.next(), updated: random.next())
      #expect(
        (try? cursor.encoded.withUnsafeBytes { try CursorRecord(decoding: $0) }) == cursor, "seed \(Fuzzing.seed)")
      let timeBucket = TimeBucket(start: bucket, lastID: id, count: random.next(), lastSequence: random.next())
      #expect(
        (try? timeBucket.encoded.withUnsafeBytes { try TimeBucket(start: bucket, decoding: $0) }) == timeBucket,
        "seed \(Fuzzing.seed)")
    }
  }

  @Test func anyBytesDecodeToWhatEncodesThemOrToNothing() {
    var random = SplitMix64(seed: Fuzzing.seed)
    for _ in 0..<Fuzzing.iterations(50_000) {
      let bytes =
        Bool.random(using: &random)
        ? Self.bytes(&random)
        : random.mutated(Self.encoding(&random)) { random in
          UInt8(truncatingIfNeeded: random.next())
        }
      let topic =
        bytes.count >= 5 && Bool.random(using: &random)
        ? bytes.withUnsafeBytes { $0.bigEndian(at: 1, as: UInt32.self) } : UInt32(truncatingIfNeeded: random.next())
      bytes.withUnsafeBytes { raw in
        if let key = KeySchema.decodeEventKey(raw) {
          #expect(KeySchema.eventKey(topic: key.topic, id: key.id) == bytes, "\(bytes), seed \(Fuzzing.seed)")
        }
        if let key = KeySchema.decodeTimeIndexKey(raw) {
          #expect(
            KeySchema.timeIndexKey(topic: key.topic, bucket: key.bucket) == bytes, "\(bytes), seed \(Fuzzing.seed)")
        }
        if let consumer = KeySchema.decodeCursorKey(raw, topic: topic) {
          // Names are stored as UTF-8; other bytes (only a damaged store has them) decode lossily.
          if String(validating: bytes.dropFirst(5), as: UTF8.self) != nil {
            #expect(KeySchema.cursorKey(topic: topic, consumer: consumer) == bytes, "\(bytes), seed \(Fuzzing.seed)")
          } else {
            #expect(consumer.unicodeScalars.contains("\u{FFFD}"), "\(bytes), seed \(Fuzzing.seed)")
          }
        }
        Self.expectEncodesBack(bytes) { () throws(GoetheError) in try TopicRecord(decoding: raw).encoded }
        Self.expectEncodesBack(bytes) { () throws(GoetheError) in try CursorRecord(decoding: raw).encoded }
        Self.expectEncodesBack(bytes) { () throws(GoetheError) in try TimeBucket(start: 0, decoding: raw).encoded }
      }
    }
  }

  /// A value decodes to something that encodes back to `bytes`, or is refused as corrupted.
  static func expectEncodesBack(_ bytes: [UInt8], _ roundTrip: () throws(GoetheError) -> [UInt8]) {
    do {
      #expect(try roundTrip() == bytes, "\(bytes), seed \(Fuzzing.seed)")
    } catch {
      #expect(error.code == .corrupted, "\(bytes): \(error), seed \(Fuzzing.seed)")
    }
  }

  static func bytes(_ random: inout SplitMix64) -> [UInt8] {
    (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
  }

  /// A key or value as the store writes it.
  static func encoding(_ random: inout SplitMix64) -> [UInt8] {
    let topic = UInt32(truncatingIfNeeded: random.next())
    switch Int.random(in: 0..<6, using: &random) {
    case 0: return KeySchema.eventKey(topic: topic, id: random.next())
    case 1: return KeySchema.timeIndexKey(topic: topic, bucket: random.next())
    case 2: return KeySchema.cursorKey(topic: topic, consumer: consumerName(&random))
    case 3: return TopicRecord(number: topic, granularity: .hour, created: random.next()).encoded
    case 4: return CursorRecord(eventID: random.next(), sequence: random.next(), updated: random.next()).encoded
    default:
      return TimeBucket(start: 0, lastID: random.next(), count: random.next(), lastSequence: random.next()).encoded
    }
  }

  /// A valid consumer name: 1 to 249 bytes of UTF-8 without control characters.
  static func consumerName(_ random: inout SplitMix64) -> String {
    let pieces = ["a", "Z", "7", "-", ".", " ", "é", "ß", "名", "🙂", "\u{301}", "'", "\u{FFFD}"]
    var name = ""
    for _ in 0..<Int.random(in: 1...60, using: &random) {
      let next = pieces.randomElement(using: &random)!
      guard name.utf8.count + next.utf8.count <= Names.maxLength else { break }
      name += next
    }
    return name
  }
}
