import Foundation

/// Conversions between the wire messages and GoetheKit's value types, used by both sides.
extension Io_Typusomega_Goethe_Event {
  public init(_ event: StoredEvent) {
    self.init()
    id = String(event.id)
    topic.id = event.topic
    payload = event.payload
    sequence = event.sequence
    timeUnixNano = event.id
  }
}

extension StoredEvent {
  /// The event in a wire message; throws if its id is not a decimal number.
  public init(_ message: Io_Typusomega_Goethe_Event) throws(GoetheError) {
    guard let id = UInt64(message.id) else {
      throw GoetheError(.invalidArgument, "event id \"\(message.id)\" is not a decimal number")
    }
    self.init(topic: message.topic.id, id: id, sequence: message.sequence, payload: message.payload)
  }
}

extension Io_Typusomega_Goethe_TopicInfo {
  public init(_ info: TopicInfo) {
    self.init()
    name = info.name
    indexGranularitySeconds = info.granularity.seconds
    createdUnixNano = info.created
    headSequence = info.headSequence
    firstEventID = info.firstEventID ?? 0
    lastEventID = info.lastEventID ?? 0
    consumers = info.consumers.map(Io_Typusomega_Goethe_CursorInfo.init)
  }
}

extension TopicInfo {
  public init(_ message: Io_Typusomega_Goethe_TopicInfo) throws(GoetheError) {
    self.init(
      name: message.name, granularity: try Granularity(seconds: message.indexGranularitySeconds),
      created: message.createdUnixNano, headSequence: message.headSequence,
      firstEventID: message.headSequence > 0 ? message.firstEventID : nil,
      lastEventID: message.headSequence > 0 ? message.lastEventID : nil,
      consumers: message.consumers.map(CursorInfo.init))
  }
}

extension Io_Typusomega_Goethe_CursorInfo {
  public init(_ cursor: CursorInfo) {
    self.init()
    topic = cursor.topic
    consumer = cursor.consumer
    eventID = cursor.eventID
    sequence = cursor.sequence
    updatedUnixNano = cursor.updated
    lag = cursor.lag
  }
}

extension CursorInfo {
  public init(_ message: Io_Typusomega_Goethe_CursorInfo) {
    self.init(
      topic: message.topic, consumer: message.consumer, eventID: message.eventID, sequence: message.sequence,
      updated: message.updatedUnixNano, lag: message.lag)
  }
}

extension Io_Typusomega_Goethe_Position {
  public init(_ position: Position) {
    self.init()
    switch position {
    case .beginning: beginning = true
    case .end: end = true
    case .event(let id): eventID = id
    case .time(let time): timeUnixNano = time
    }
  }
}

extension Io_Typusomega_Goethe_SubscribeStart {
  public init(_ start: StartInfo, headSequence: UInt64) {
    self.init()
    resolution =
      switch start.resolution {
      case .exact: .exact
      case .nearest: .nearest
      case .waiting: .waiting
      }
    eventID = start.eventID ?? 0
    sequence = start.sequence ?? 0
    self.headSequence = headSequence
  }
}

extension StartInfo {
  public init(_ message: Io_Typusomega_Goethe_SubscribeStart) {
    let resolution: Resolution =
      switch message.resolution {
      case .nearest: .nearest
      case .waiting: .waiting
      default: .exact
      }
    self.init(
      resolution: resolution, eventID: resolution == .waiting ? nil : message.eventID,
      sequence: resolution == .waiting ? nil : message.sequence)
  }
}
