public import Foundation

/// An event as stored: its topic, its id (UNIX nanoseconds at receipt, strictly increasing per
/// topic, so also its time), its per-topic sequence number (1, 2, 3, …) and its opaque payload.
public struct StoredEvent: Sendable, Equatable {
  public var topic: String
  public var id: UInt64
  public var sequence: UInt64
  public var payload: Data

  public init(topic: String, id: UInt64, sequence: UInt64, payload: Data) {
    self.topic = topic
    self.id = id
    self.sequence = sequence
    self.payload = payload
  }

  /// When the event was committed; the id is this instant in nanoseconds.
  public var time: Date { EventTime.date(fromNanoseconds: id) }
}

/// Where a successful append put its events: ids and sequence numbers are consecutive.
public struct AppendResult: Sendable, Equatable {
  public var topic: String
  public var firstID: UInt64
  public var firstSequence: UInt64
  public var count: Int
  /// Whether this append created the topic.
  public var createdTopic: Bool
  /// Whether the batch was stored by an earlier send under the same ``ProducerStamp``: nothing
  /// was stored this time, and the ids are those of the earlier send.
  public var duplicate: Bool

  public init(
    topic: String, firstID: UInt64, firstSequence: UInt64, count: Int, createdTopic: Bool = false,
    duplicate: Bool = false
  ) {
    self.topic = topic
    self.firstID = firstID
    self.firstSequence = firstSequence
    self.count = count
    self.createdTopic = createdTopic
    self.duplicate = duplicate
  }

  /// The id and sequence number of each appended event, in order.
  public var events: [(id: UInt64, sequence: UInt64)] {
    (0..<UInt64(count)).map { (firstID + $0, firstSequence + $0) }
  }
}

/// A topic as listed and described.
public struct TopicInfo: Sendable, Equatable {
  public var name: String
  public var granularity: Granularity
  /// When the topic was created, in UNIX nanoseconds.
  public var created: UInt64
  /// The sequence number of the newest event, which is also the number of events.
  public var headSequence: UInt64
  public var firstEventID: UInt64?
  public var lastEventID: UInt64?
  /// The consumers and their cursors; filled by describe, empty in listings.
  public var consumers: [CursorInfo]
  /// The events kept: the head sequence less the events retention or a purge removed.
  public var eventCount: UInt64
  /// The payload bytes of the events kept.
  public var bytes: UInt64
  public var retention: RetentionLimits

  public init(
    name: String, granularity: Granularity, created: UInt64, headSequence: UInt64,
    firstEventID: UInt64?, lastEventID: UInt64?, consumers: [CursorInfo] = [], eventCount: UInt64? = nil,
    bytes: UInt64 = 0, retention: RetentionLimits = .none
  ) {
    self.name = name
    self.granularity = granularity
    self.created = created
    self.headSequence = headSequence
    self.firstEventID = firstEventID
    self.lastEventID = lastEventID
    self.consumers = consumers
    self.eventCount = eventCount ?? headSequence
    self.bytes = bytes
    self.retention = retention
  }

  /// The sequence number of the first event kept; the head's next one while the topic is empty.
  public var firstSequence: UInt64 { headSequence - eventCount + 1 }
}

/// A consumer's stored position: the last event it processed (id 0 before the first event).
public struct CursorInfo: Sendable, Equatable {
  public var topic: String
  public var consumer: String
  public var eventID: UInt64
  public var sequence: UInt64
  /// When the cursor was last set, in UNIX nanoseconds.
  public var updated: UInt64
  /// Events in the topic after the cursor.
  public var lag: UInt64

  public init(topic: String, consumer: String, eventID: UInt64, sequence: UInt64, updated: UInt64, lag: UInt64) {
    self.topic = topic
    self.consumer = consumer
    self.eventID = eventID
    self.sequence = sequence
    self.updated = updated
    self.lag = lag
  }
}

/// The number of events in one bucket of a topic's time index.
public struct BucketCount: Sendable, Equatable {
  /// The bucket's start, in UNIX nanoseconds.
  public var start: UInt64
  public var count: UInt64
  public var lastEventID: UInt64

  public init(start: UInt64, count: UInt64, lastEventID: UInt64) {
    self.start = start
    self.count = count
    self.lastEventID = lastEventID
  }
}

/// What a server says of itself.
public struct ServerInfo: Sendable, Equatable {
  public var version: String
  public var nodeID: String
  /// Whether an acknowledged append has been fsynced; nil when the server names a mode this
  /// client does not know.
  public var durability: Durability?
  public var maxEventSize: Int

  public init(version: String, nodeID: String, durability: Durability?, maxEventSize: Int) {
    self.version = version
    self.nodeID = nodeID
    self.durability = durability
    self.maxEventSize = maxEventSize
  }
}
