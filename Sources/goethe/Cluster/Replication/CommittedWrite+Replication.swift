import Foundation
import GoetheKit
import SwiftProtobuf

/// Committed writes on the replication wire (`replication.proto`), both ways.
extension CommittedWrite {
  var message: Io_Typusomega_Goethe_Replication_CommittedWrite {
    .with { message in
      message.index = index
      message.epoch = epoch
      switch change {
      case .createTopic(let name, let record):
        message.createTopic = .with {
          $0.name = name
          $0.record = record.message
        }
      case .append(let topic, let created, let firstID, let firstSequence, let payloads, let producer):
        message.append = .with {
          $0.topic = topic
          if let created { $0.created = created.message }
          $0.firstID = firstID
          $0.firstSequence = firstSequence
          $0.payloads = payloads
          if let producer {
            $0.producer = .with {
              $0.producer = producer.producer
              $0.firstSequence = producer.firstSequence
              $0.counts = producer.counts
            }
          }
        }
      case .setCursor(let topic, let consumer, let record):
        message.setCursor = .with {
          $0.topic = topic
          $0.consumer = consumer
          $0.eventID = record.eventID
          $0.sequence = record.sequence
          $0.updatedUnixNano = record.updated
        }
      case .deleteCursor(let topic, let consumer):
        message.deleteCursor = .with {
          $0.topic = topic
          $0.consumer = consumer
        }
      case .setRetention(let topic, let limits):
        message.setRetention = .with {
          $0.topic = topic
          $0.limits = limits.message
        }
      case .trim(let topic, let through):
        message.trim = .with {
          $0.topic = topic
          $0.throughID = through.id
          $0.throughSequence = through.sequence
        }
      case .deleteTopic(let topic):
        message.deleteTopic = .with { $0.topic = topic }
      case .setConsumer(let topic, let consumer, let record):
        message.setConsumer = .with {
          $0.topic = topic
          $0.consumer = consumer
          $0.record = Data(record.encoded)
        }
      }
    }
  }

  init(_ message: Io_Typusomega_Goethe_Replication_CommittedWrite) throws(GoetheError) {
    index = message.index
    epoch = message.epoch
    switch message.change {
    case .createTopic(let create):
      change = .createTopic(name: create.name, record: try TopicRecord(create.record))
    case .append(let append):
      change = .append(
        topic: append.topic, created: append.hasCreated ? try TopicRecord(append.created) : nil,
        firstID: append.firstID, firstSequence: append.firstSequence, payloads: append.payloads,
        producer: try append.hasProducer ? ProducerRun(append.producer, events: append.payloads.count) : nil)
    case .setCursor(let cursor):
      change = .setCursor(
        topic: cursor.topic, consumer: cursor.consumer,
        record: CursorRecord(eventID: cursor.eventID, sequence: cursor.sequence, updated: cursor.updatedUnixNano))
    case .deleteCursor(let cursor):
      change = .deleteCursor(topic: cursor.topic, consumer: cursor.consumer)
    case .setRetention(let retention):
      change = .setRetention(topic: retention.topic, limits: RetentionLimits(retention.limits))
    case .trim(let trim):
      change = .trim(topic: trim.topic, through: EventRef(id: trim.throughID, sequence: trim.throughSequence))
    case .deleteTopic(let deletion):
      change = .deleteTopic(topic: deletion.topic)
    case .setConsumer(let consumer):
      let record = try consumer.record.withUnsafeBytes { bytes in
        Result { () throws(GoetheError) in try ConsumerRecord(decoding: bytes) }
      }.get()
      change = .setConsumer(topic: consumer.topic, consumer: consumer.consumer, record: record)
    case nil:
      throw GoetheError(.invalidArgument, "committed write \(message.index) carries no change")
    }
  }
}

extension TopicRecord {
  fileprivate var message: Io_Typusomega_Goethe_Replication_TopicRecord {
    .with {
      $0.number = number
      $0.granularitySeconds = granularity.seconds
      $0.createdUnixNano = created
      if !retention.isNone { $0.retention = retention.message }
    }
  }

  fileprivate init(_ message: Io_Typusomega_Goethe_Replication_TopicRecord) throws(GoetheError) {
    self.init(
      number: message.number, granularity: try Granularity(seconds: message.granularitySeconds),
      created: message.createdUnixNano, retention: RetentionLimits(message.retention))
  }
}

extension RetentionLimits {
  fileprivate var message: Io_Typusomega_Goethe_Replication_RetentionLimits {
    .with {
      $0.maxAgeNanos = maxAge ?? 0
      $0.maxEvents = maxEvents ?? 0
      $0.maxBytes = maxBytes ?? 0
    }
  }

  fileprivate init(_ message: Io_Typusomega_Goethe_Replication_RetentionLimits) {
    func limit(_ value: UInt64) -> UInt64? { value == 0 ? nil : value }
    self.init(
      maxAge: limit(message.maxAgeNanos), maxEvents: limit(message.maxEvents), maxBytes: limit(message.maxBytes))
  }
}

extension ProducerRun {
  /// The run of an append of `events` events, checked to account for each of them.
  init(_ message: Io_Typusomega_Goethe_Replication_ProducerRun, events: Int) throws(GoetheError) {
    try ProducerStamp.validate(producer: message.producer)
    self.init(producer: message.producer, firstSequence: message.firstSequence, counts: message.counts)
    guard !counts.isEmpty, !counts.contains(0), eventCount == events else {
      throw GoetheError(.invalidArgument, "a producer run of \(eventCount) events for an append of \(events)")
    }
  }
}
