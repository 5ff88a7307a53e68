import GoetheKit

/// A committed write as the commit log keeps it, under ``KeySchema/commitLogKey(_:)``: the change
/// with topics by number and without payloads, which the events keyspace already holds.
///
/// Value: epoch u64, kind u8, then by kind
/// - create topic: topic record, name; with retention limits (format 3): topic record, limits, name;
/// - append: topic u32, first id u64, first sequence u64, count u32, and the topic record when the
///   append created the topic, followed by its limits if it has any;
/// - stamped append (format 4): as an append, with its ``ProducerRun`` after the count;
/// - set cursor: topic u32, cursor record, consumer;
/// - delete cursor: topic u32, consumer;
/// - set retention: topic u32, limits (format 3);
/// - trim: topic u32, id u64 and sequence u64 of the last event removed (format 3);
/// - delete topic: topic u32, name (format 3);
/// - set consumer: topic u32, consumer length u16, consumer, ``ConsumerRecord`` (format 3).
///
/// Limits are 24 bytes: max age, max events, max bytes, each u64 and 0 for none.
enum CommitLogRecord: Equatable, Sendable {
  case createTopic(name: String, record: TopicRecord)
  case append(
    topic: UInt32, created: TopicRecord?, firstID: UInt64, firstSequence: UInt64, count: UInt32,
    producer: ProducerRun?)
  case setCursor(topic: UInt32, consumer: String, record: CursorRecord)
  case deleteCursor(topic: UInt32, consumer: String)
  case setRetention(topic: UInt32, limits: RetentionLimits)
  case trim(topic: UInt32, through: TopicState.Head)
  case deleteTopic(topic: UInt32, name: String)
  case setConsumer(topic: UInt32, consumer: String, record: ConsumerRecord)

  private enum Kind: UInt8 {
    case createTopic = 1, append, setCursor, deleteCursor, createTopicWithRetention, setRetention, trim, deleteTopic,
      setConsumer, stampedAppend
  }

  private static let limitsSize = 24

  func encoded(epoch: UInt64) -> [UInt8] {
    var value: [UInt8] = []
    value.reserveCapacity(48)
    value.appendBigEndian(epoch)
    switch self {
    case .createTopic(let name, let record):
      value.append((record.retention.isNone ? Kind.createTopic : .createTopicWithRetention).rawValue)
      value += record.encoded
      if !record.retention.isNone { value += record.retention.encoded }
      value += Array(name.utf8)
    case .append(let topic, let created, let firstID, let firstSequence, let count, let producer):
      value.append((producer == nil ? Kind.append : .stampedAppend).rawValue)
      value.appendBigEndian(topic)
      value.appendBigEndian(firstID)
      value.appendBigEndian(firstSequence)
      value.appendBigEndian(count)
      if let producer { value += producer.encoded }
      if let created {
        value += created.encoded
        if !created.retention.isNone { value += created.retention.encoded }
      }
    case .setCursor(let topic, let consumer, let record):
      value.append(Kind.setCursor.rawValue)
      value.appendBigEndian(topic)
      value += record.encoded
      value += Array(consumer.utf8)
    case .deleteCursor(let topic, let consumer):
      value.append(Kind.deleteCursor.rawValue)
      value.appendBigEndian(topic)
      value += Array(consumer.utf8)
    case .setRetention(let topic, let limits):
      value.append(Kind.setRetention.rawValue)
      value.appendBigEndian(topic)
      value += limits.encoded
    case .trim(let topic, let through):
      value.append(Kind.trim.rawValue)
      value.appendBigEndian(topic)
      value.appendBigEndian(through.id)
      value.appendBigEndian(through.sequence)
    case .deleteTopic(let topic, let name):
      value.append(Kind.deleteTopic.rawValue)
      value.appendBigEndian(topic)
      value += Array(name.utf8)
    case .setConsumer(let topic, let consumer, let record):
      value.append(Kind.setConsumer.rawValue)
      value.appendBigEndian(topic)
      let name = Array(consumer.utf8)
      value.appendBigEndian(UInt16(name.count))
      value += name
      value += record.encoded
    }
    return value
  }

  /// The epoch and the record of a commit log value.
  static func decode(_ value: UnsafeRawBufferPointer) throws(GoetheError) -> (epoch: UInt64, record: CommitLogRecord) {
    guard value.count >= 9, let kind = Kind(rawValue: value[8]) else { throw KeySchema.corrupted("commit log record") }
    let epoch: UInt64 = value.bigEndian(at: 0)
    let body = UnsafeRawBufferPointer(rebasing: value[9...])
    func text(from offset: Int) -> String {
      String(decoding: UnsafeRawBufferPointer(rebasing: body[offset...]), as: UTF8.self)
    }
    switch kind {
    case .createTopic:
      guard body.count > TopicRecord.encodedSize else { throw KeySchema.corrupted("commit log record") }
      let record = try TopicRecord(decoding: UnsafeRawBufferPointer(rebasing: body[..<TopicRecord.encodedSize]))
      return (epoch, .createTopic(name: text(from: TopicRecord.encodedSize), record: record))
    case .createTopicWithRetention:
      let named = TopicRecord.encodedSize + limitsSize
      guard body.count > named else { throw KeySchema.corrupted("commit log record") }
      var record = try TopicRecord(decoding: UnsafeRawBufferPointer(rebasing: body[..<TopicRecord.encodedSize]))
      record.retention = RetentionLimits(decodingAt: TopicRecord.encodedSize, of: body)
      return (epoch, .createTopic(name: text(from: named), record: record))
    case .append:
      guard body.count >= 24 else { throw KeySchema.corrupted("commit log record") }
      return (epoch, try decodeAppend(body, created: UnsafeRawBufferPointer(rebasing: body[24...]), producer: nil))
    case .stampedAppend:
      guard body.count > 24 else { throw KeySchema.corrupted("commit log record") }
      let (run, size) = try ProducerRun.decode(UnsafeRawBufferPointer(rebasing: body[24...]))
      let created = UnsafeRawBufferPointer(rebasing: body[(24 + size)...])
      return (epoch, try decodeAppend(body, created: created, producer: run))
    case .setCursor:
      guard body.count > 4 + CursorRecord.encodedSize else { throw KeySchema.corrupted("commit log record") }
      let record = try CursorRecord(
        decoding: UnsafeRawBufferPointer(rebasing: body[4..<(4 + CursorRecord.encodedSize)]))
      return (
        epoch,
        .setCursor(topic: body.bigEndian(at: 0), consumer: text(from: 4 + CursorRecord.encodedSize), record: record)
      )
    case .deleteCursor:
      guard body.count > 4 else { throw KeySchema.corrupted("commit log record") }
      return (epoch, .deleteCursor(topic: body.bigEndian(at: 0), consumer: text(from: 4)))
    case .setRetention:
      guard body.count == 4 + limitsSize else { throw KeySchema.corrupted("commit log record") }
      return (epoch, .setRetention(topic: body.bigEndian(at: 0), limits: RetentionLimits(decodingAt: 4, of: body)))
    case .trim:
      guard body.count == 20 else { throw KeySchema.corrupted("commit log record") }
      return (
        epoch,
        .trim(
          topic: body.bigEndian(at: 0),
          through: TopicState.Head(id: body.bigEndian(at: 4), sequence: body.bigEndian(at: 12)))
      )
    case .deleteTopic:
      guard body.count > 4 else { throw KeySchema.corrupted("commit log record") }
      return (epoch, .deleteTopic(topic: body.bigEndian(at: 0), name: text(from: 4)))
    case .setConsumer:
      guard body.count >= 6 else { throw KeySchema.corrupted("commit log record") }
      let length = Int(body.bigEndian(at: 4, as: UInt16.self))
      guard body.count >= 6 + length else { throw KeySchema.corrupted("commit log record") }
      let consumer = String(decoding: UnsafeRawBufferPointer(rebasing: body[6..<(6 + length)]), as: UTF8.self)
      let record = try ConsumerRecord(decoding: UnsafeRawBufferPointer(rebasing: body[(6 + length)...]))
      return (epoch, .setConsumer(topic: body.bigEndian(at: 0), consumer: consumer, record: record))
    }
  }

  /// An append from its fixed fields (the first 24 bytes of `body`) and the created topic's record
  /// and limits, if any, in `created`.
  private static func decodeAppend(
    _ body: UnsafeRawBufferPointer, created trailer: UnsafeRawBufferPointer, producer: ProducerRun?
  ) throws(GoetheError) -> CommitLogRecord {
    let withLimits = TopicRecord.encodedSize + limitsSize
    guard trailer.isEmpty || trailer.count == TopicRecord.encodedSize || trailer.count == withLimits else {
      throw KeySchema.corrupted("commit log record")
    }
    var created =
      trailer.isEmpty
      ? nil : try TopicRecord(decoding: UnsafeRawBufferPointer(rebasing: trailer[..<TopicRecord.encodedSize]))
    if trailer.count == withLimits {
      created?.retention = RetentionLimits(decodingAt: TopicRecord.encodedSize, of: trailer)
    }
    return .append(
      topic: body.bigEndian(at: 0), created: created, firstID: body.bigEndian(at: 4),
      firstSequence: body.bigEndian(at: 12), count: body.bigEndian(at: 20), producer: producer)
  }
}
