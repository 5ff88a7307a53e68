import Foundation
import GoetheKit

/// Every key and stored value of the store, in one place.
///
/// Keys are a one-byte keyspace prefix followed by big-endian fields, so that a topic's events, its
/// cursors and its time index are each one contiguous run in LevelDB's bytewise order:
///
/// | keyspace   | key                                   | value                                        |
/// |------------|---------------------------------------|----------------------------------------------|
/// | meta       | 0x01, name                            | format version u32 / node id / epoch u64     |
/// | topics     | 0x02, topic name                      | ``TopicRecord``                              |
/// | events     | 0x03, topic u32, event id u64         | sequence u64, payload                        |
/// | cursors    | 0x04, topic u32, consumer name        | ``CursorRecord``                             |
/// | time index | 0x05, topic u32, bucket start u64     | ``TimeBucket`` (last event id, count)        |
/// | commit log | 0x06, commit index u64                | ``CommitLogRecord`` (epoch, the change)      |
/// | retention  | 0x07, topic u32                       | ``RetentionRecord`` (limits, trimmed through)|
/// | consumers  | 0x08, topic u32, consumer name        | ``ConsumerRecord`` (a shared consumer)       |
///
/// Format 2 added the commit log and the epoch; a format 1 store is upgraded when it is opened
/// (``CommitLogBaseline``). Format 3 added the retention keyspace, the `next-topic-number` meta
/// key and the commit log records of trims, deletions and limits, which older builds cannot read;
/// a format 2 store reads unchanged (no topic has limits or was trimmed) and only gets the new
/// version number. Format 4 added the commit log records of stamped appends (``ProducerRun``);
/// a format 3 store reads unchanged. The `high-watermark` meta key came later without a new
/// format: a store without it hides every write of its log from readers until a leader speaks.
enum KeySchema {
  /// The layout version this build writes; older readable ones are upgraded, any other refused.
  static let formatVersion: UInt32 = 4
  /// The layout versions this build opens.
  static let readableFormatVersions: ClosedRange<UInt32> = 1...4

  enum Prefix: UInt8 {
    case meta = 0x01
    case topic = 0x02
    case event = 0x03
    case cursor = 0x04
    case timeIndex = 0x05
    case commitLog = 0x06
    case retention = 0x07
    case consumer = 0x08
  }

  static let formatVersionKey = metaKey("format-version")
  static let nodeIDKey = metaKey("node-id")
  /// The highest leader epoch this node has accepted (see ``EventStore/lead(epoch:)``).
  static let epochKey = metaKey("epoch")
  /// The lowest topic number never used, once a deleted topic held the highest: numbers are not
  /// reused, so that nothing left of a deleted topic can join a new one.
  static let nextTopicNumberKey = metaKey("next-topic-number")
  /// The cluster's high watermark as this node last knew it (``EventStore/keep(highWatermark:)``):
  /// what it shows after a restart, before a leader tells it more.
  static let highWatermarkKey = metaKey("high-watermark")

  static func highWatermarkValue(_ index: UInt64) -> [UInt8] {
    var value: [UInt8] = []
    value.appendBigEndian(index)
    return value
  }

  /// The value stored under ``formatVersionKey`` by this build.
  static var formatVersionValue: [UInt8] {
    var value: [UInt8] = []
    value.appendBigEndian(formatVersion)
    return value
  }

  /// A random node identity, stored under ``nodeIDKey`` when a store is created.
  static func newNodeID() -> String { UUID().uuidString.lowercased() }

  static func metaKey(_ name: String) -> [UInt8] { [Prefix.meta.rawValue] + Array(name.utf8) }

  static func topicKey(_ name: String) -> [UInt8] { [Prefix.topic.rawValue] + Array(name.utf8) }

  /// The first key of the topic catalog; every topic key is at or after it.
  static let topicsStart: [UInt8] = [Prefix.topic.rawValue]

  static func eventKey(topic: UInt32, id: UInt64) -> [UInt8] {
    var key: [UInt8] = [Prefix.event.rawValue]
    key.reserveCapacity(13)
    key.appendBigEndian(topic)
    key.appendBigEndian(id)
    return key
  }

  static func cursorKey(topic: UInt32, consumer: String) -> [UInt8] {
    cursorPrefix(topic: topic) + Array(consumer.utf8)
  }

  /// The prefix shared by every cursor of a topic.
  static func cursorPrefix(topic: UInt32) -> [UInt8] {
    var key: [UInt8] = [Prefix.cursor.rawValue]
    key.appendBigEndian(topic)
    return key
  }

  /// A shared consumer's state; its ack floor is also its cursor under ``cursorKey(topic:consumer:)``.
  static func consumerKey(topic: UInt32, consumer: String) -> [UInt8] {
    var key: [UInt8] = [Prefix.consumer.rawValue]
    key.appendBigEndian(topic)
    return key + Array(consumer.utf8)
  }

  static func timeIndexKey(topic: UInt32, bucket: UInt64) -> [UInt8] {
    var key: [UInt8] = [Prefix.timeIndex.rawValue]
    key.appendBigEndian(topic)
    key.appendBigEndian(bucket)
    return key
  }

  static func retentionKey(topic: UInt32) -> [UInt8] {
    var key: [UInt8] = [Prefix.retention.rawValue]
    key.appendBigEndian(topic)
    return key
  }

  /// The keyspaces whose keys begin with a topic number, which a deleted topic's records are in.
  static let topicNumberedPrefixes: [Prefix] = [.event, .cursor, .timeIndex, .retention, .consumer]

  static func commitLogKey(_ index: UInt64) -> [UInt8] {
    var key: [UInt8] = [Prefix.commitLog.rawValue]
    key.appendBigEndian(index)
    return key
  }

  /// The first key after the commit log.
  static let commitLogEnd: [UInt8] = [Prefix.commitLog.rawValue + 1]

  /// The commit index of a commit log key, or nil if `key` is not one.
  static func decodeCommitLogKey(_ key: UnsafeRawBufferPointer) -> UInt64? {
    guard key.count == 9, key[0] == Prefix.commitLog.rawValue else { return nil }
    return key.bigEndian(at: 1)
  }

  /// The topic and event id of an event key, or nil if `key` is not an event key.
  static func decodeEventKey(_ key: UnsafeRawBufferPointer) -> (topic: UInt32, id: UInt64)? {
    guard key.count == 13, key[0] == Prefix.event.rawValue else { return nil }
    return (key.bigEndian(at: 1), key.bigEndian(at: 5))
  }

  static func decodeTimeIndexKey(_ key: UnsafeRawBufferPointer) -> (topic: UInt32, bucket: UInt64)? {
    guard key.count == 13, key[0] == Prefix.timeIndex.rawValue else { return nil }
    return (key.bigEndian(at: 1), key.bigEndian(at: 5))
  }

  /// The consumer name of a cursor key of `topic`, or nil if `key` is not one.
  static func decodeCursorKey(_ key: UnsafeRawBufferPointer, topic: UInt32) -> String? {
    guard key.count > 5, key[0] == Prefix.cursor.rawValue, key.bigEndian(at: 1, as: UInt32.self) == topic
    else { return nil }
    return String(decoding: UnsafeRawBufferPointer(rebasing: key[5...]), as: UTF8.self)
  }

  /// Puts the records of events with consecutive ids and sequence numbers into `batch`: the key,
  /// then the value (the sequence number, then the payload) are built in one scratch buffer reused
  /// for every event, since LevelDB copies what it is given.
  static func putEvents(
    _ payloads: [Data], topic: UInt32, firstID: UInt64, firstSequence: UInt64, into batch: WriteBatch
  ) {
    let largest = payloads.reduce(0) { max($0, $1.count) }
    withUnsafeTemporaryAllocation(byteCount: 13 + 8 + largest, alignment: 8) { scratch in
      scratch.storeBytes(of: Prefix.event.rawValue, toByteOffset: 0, as: UInt8.self)
      scratch.storeBytes(of: topic.bigEndian, toByteOffset: 1, as: UInt32.self)
      var id = firstID
      var sequence = firstSequence
      for payload in payloads {
        scratch.storeBytes(of: id.bigEndian, toByteOffset: 5, as: UInt64.self)
        scratch.storeBytes(of: sequence.bigEndian, toByteOffset: 13, as: UInt64.self)
        payload.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: scratch[21...]).copyMemory(from: $0) }
        batch.put(
          UnsafeRawBufferPointer(rebasing: scratch[..<13]),
          UnsafeRawBufferPointer(rebasing: scratch[13..<(21 + payload.count)]))
        id += 1
        sequence += 1
      }
    }
  }

  static func corrupted(_ what: String) -> GoetheError {
    GoetheError(.corrupted, "stored \(what) is malformed; run: goethe repair --data-dir DIR")
  }
}

/// A topic's catalog entry: what does not change after creation. The head (last id and sequence)
/// is not stored here but read from the topic's last event when the store opens, so that an
/// append writes its events and nothing else.
///
/// `retention` is not part of the catalog value (``encoded``): the limits can change, and are
/// stored in the topic's ``RetentionRecord``. The commit log and replication carry them with the
/// record of a topic's creation.
struct TopicRecord: Equatable, Sendable {
  var number: UInt32
  var granularity: Granularity
  var created: UInt64
  var retention: RetentionLimits = .none

  static let encodedSize = 16

  var encoded: [UInt8] {
    var value: [UInt8] = []
    value.reserveCapacity(Self.encodedSize)
    value.appendBigEndian(number)
    value.appendBigEndian(granularity.seconds)
    value.appendBigEndian(created)
    return value
  }

  init(number: UInt32, granularity: Granularity, created: UInt64, retention: RetentionLimits = .none) {
    self.number = number
    self.granularity = granularity
    self.created = created
    self.retention = retention
  }

  init(decoding value: UnsafeRawBufferPointer) throws(GoetheError) {
    guard value.count == Self.encodedSize,
      let granularity = try? Granularity(seconds: value.bigEndian(at: 4))
    else { throw KeySchema.corrupted("topic record") }
    number = value.bigEndian(at: 0)
    self.granularity = granularity
    created = value.bigEndian(at: 8)
  }
}

/// A topic's retention limits and how far it was trimmed: the id and sequence number of the last
/// event removed (0 and 0 before the first trim), which stay the topic's head when every event
/// is removed. Stored only for topics with limits or trims. A limit of 0 is no limit.
struct RetentionRecord: Equatable, Sendable {
  var limits: RetentionLimits
  var trimmedThrough: TopicState.Head

  static let encodedSize = 40

  var encoded: [UInt8] {
    var value: [UInt8] = []
    value.reserveCapacity(Self.encodedSize)
    value.appendBigEndian(limits.maxAge ?? 0)
    value.appendBigEndian(limits.maxEvents ?? 0)
    value.appendBigEndian(limits.maxBytes ?? 0)
    value.appendBigEndian(trimmedThrough.id)
    value.appendBigEndian(trimmedThrough.sequence)
    return value
  }

  init(limits: RetentionLimits, trimmedThrough: TopicState.Head) {
    self.limits = limits
    self.trimmedThrough = trimmedThrough
  }

  init(decoding value: UnsafeRawBufferPointer) throws(GoetheError) {
    guard value.count == Self.encodedSize else { throw KeySchema.corrupted("retention record") }
    limits = RetentionLimits(decodingAt: 0, of: value)
    trimmedThrough = TopicState.Head(id: value.bigEndian(at: 24), sequence: value.bigEndian(at: 32))
  }
}

extension RetentionLimits {
  /// The three limits as 24 bytes, 0 for none, as the retention record and the commit log keep them.
  var encoded: [UInt8] { Array(RetentionRecord(limits: self, trimmedThrough: .empty).encoded.prefix(24)) }

  init(decodingAt offset: Int, of value: UnsafeRawBufferPointer) {
    func limit(_ at: Int) -> UInt64? {
      let stored: UInt64 = value.bigEndian(at: offset + at)
      return stored == 0 ? nil : stored
    }
    self.init(maxAge: limit(0), maxEvents: limit(8), maxBytes: limit(16))
  }
}

/// A consumer's stored cursor: the last event it processed (id 0 and sequence 0 before the first).
struct CursorRecord: Equatable, Sendable {
  var eventID: UInt64
  var sequence: UInt64
  var updated: UInt64

  static let encodedSize = 24

  var encoded: [UInt8] {
    var value: [UInt8] = []
    value.appendBigEndian(eventID)
    value.appendBigEndian(sequence)
    value.appendBigEndian(updated)
    return value
  }

  init(eventID: UInt64, sequence: UInt64, updated: UInt64) {
    self.eventID = eventID
    self.sequence = sequence
    self.updated = updated
  }

  init(decoding value: UnsafeRawBufferPointer) throws(GoetheError) {
    guard value.count == Self.encodedSize else { throw KeySchema.corrupted("cursor") }
    eventID = value.bigEndian(at: 0)
    sequence = value.bigEndian(at: 8)
    updated = value.bigEndian(at: 16)
  }
}

/// One bucket of a topic's time index: its last event, how many events it holds, and the sequence
/// number of its last event (so the open bucket's count follows from the head on reopening).
///
/// A bucket is written once, in the batch of the first append that goes past it; until then it is
/// the topic's open bucket, kept in memory and derived from the head when the store opens.
struct TimeBucket: Equatable, Sendable {
  var start: UInt64
  var lastID: UInt64
  var count: UInt64
  var lastSequence: UInt64

  var encoded: [UInt8] {
    var value: [UInt8] = []
    value.reserveCapacity(24)
    value.appendBigEndian(lastID)
    value.appendBigEndian(count)
    value.appendBigEndian(lastSequence)
    return value
  }

  init(start: UInt64, lastID: UInt64, count: UInt64, lastSequence: UInt64) {
    self.start = start
    self.lastID = lastID
    self.count = count
    self.lastSequence = lastSequence
  }

  init(start: UInt64, decoding value: UnsafeRawBufferPointer) throws(GoetheError) {
    guard value.count == 24 else { throw KeySchema.corrupted("time index bucket") }
    self.start = start
    lastID = value.bigEndian(at: 0)
    count = value.bigEndian(at: 8)
    lastSequence = value.bigEndian(at: 16)
  }
}
