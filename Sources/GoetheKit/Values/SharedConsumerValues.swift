/// A shared consumer's settings. Sent when joining, each value given replaces the stored one;
/// as the server answers, every value is set.
public struct SharedConsumerSettings: Sendable, Equatable, Codable {
  /// How long a member may hold an event unacknowledged before it goes to another member.
  public var ackWaitMillis: UInt64?
  /// Deliveries after which an event is parked; 0 for no limit.
  public var maxDeliveries: UInt32?
  /// Unacknowledged events each member may hold.
  public var maxPending: UInt32?
  /// The topic parked events are copied to; empty for none.
  public var deadLetter: String?

  public init(
    ackWaitMillis: UInt64? = nil, maxDeliveries: UInt32? = nil, maxPending: UInt32? = nil, deadLetter: String? = nil
  ) {
    self.ackWaitMillis = ackWaitMillis
    self.maxDeliveries = maxDeliveries
    self.maxPending = maxPending
    self.deadLetter = deadLetter
  }
}

/// One event handed to a member of a shared consumer; `delivery` is 1 the first time.
public struct SharedDelivery: Sendable, Equatable {
  public var event: StoredEvent
  public var delivery: UInt32

  public init(event: StoredEvent, delivery: UInt32) {
    self.event = event
    self.delivery = delivery
  }
}

/// A shared consumer as the leader sees it.
public struct ConsumerDescription: Sendable, Equatable, Codable {
  public struct Member: Sendable, Equatable, Codable {
    public var name: String
    public var pending: UInt64
  }

  public struct Parked: Sendable, Equatable, Codable {
    public var eventID: UInt64
    public var sequence: UInt64
    public var deliveries: UInt32
  }

  public var topic: String
  public var consumer: String
  public var settings: SharedConsumerSettings
  /// The newest event up to which every event is acknowledged or parked: the consumer's cursor.
  public var ackFloorEventID: UInt64
  public var ackFloorSequence: UInt64
  /// Events after the ack floor.
  public var lag: UInt64
  public var members: [Member]
  public var pending: UInt64
  public var redelivered: UInt64
  public var parked: [Parked]
}
