import CoreMetrics
import Foundation
import GRPCCore
import GoetheKit
import SwiftProtobuf

/// The `io.typusomega.goethe.Goethe` service: validates requests, calls the store, maps errors.
struct GoetheService: Sendable {
  typealias Event = Io_Typusomega_Goethe_Event

  let store: any GoetheStore
  /// Produce on a missing topic creates it, as Goethe v1 did.
  let autoCreateTopics: Bool
  /// v1 Consume waits at the end of a topic for the next event instead of ending the stream with
  /// RESOURCE_EXHAUSTED as v1 did (and, with `autoCreateTopics`, creates a missing topic to wait on).
  var v1ConsumeFollows = false
  /// Sends writes on to the leader when this node follows; nil on a cluster of one.
  var forwarder: LeaderForwarder?
  let metrics: ServerMetrics
  /// Whether this node leads its cluster, which decides whether it takes writes.
  let role: ClusterRole
  /// Who may call what; every call is allowed without an auth file.
  var access = AccessControl.open
  /// The shared consumers this node runs as the leader.
  let sharedConsumers = SharedConsumers()

  // MARK: Goethe v1

  func produce(request: Event) async throws -> Event {
    let topic = try requireTopic(request.topic.id)
    let result = try await timedAppend([request.payload], to: topic, expectedSequence: nil)
    return Event(
      StoredEvent(topic: topic, id: result.firstID, sequence: result.firstSequence, payload: request.payload))
  }

  /// Goethe v1's conversation: the client's first cursor opens a session, the server answers each
  /// client message with the next event, and every later client cursor commits the event it names
  /// before the next one is sent. At the end of the topic the stream ends with RESOURCE_EXHAUSTED,
  /// unless `v1ConsumeFollows`.
  func consume(
    request: RequestStream<Io_Typusomega_Goethe_Cursor>,
    response: ResponseWriter<Io_Typusomega_Goethe_Cursor>
  ) async throws {
    metrics.subscribers.increment()
    defer { metrics.subscribers.decrement() }
    try await runStream(store: store) {
      var session: (topic: String, consumer: String, feed: EventFeed)?
      for try await cursor in request {
        if let session {
          if !cursor.currentEvent.id.isEmpty {
            _ = try await store.commitCursor(
              topic: session.topic, consumer: session.consumer, eventID: try parseID(cursor.currentEvent.id))
          }
        } else {
          session = try await openConsumeSession(cursor)
        }
        guard let event = try await session?.feed.nextBatch(maxEvents: 1)?.first, let session else {
          throw Self.noMoreEvents(in: cursor.topic.id)
        }
        var reply = Io_Typusomega_Goethe_Cursor()
        reply.topic.id = event.topic
        reply.consumer = session.consumer
        reply.currentEvent = Event(event)
        try await response.write(reply)
      }
    }
  }

  /// The first message of a v1 Consume. Delivery starts at the event `current_event.id` names (the
  /// nearest following one when no event has that id); without an id, at the event of the
  /// consumer's stored cursor, which is delivered again, or at the beginning when it has none.
  private func openConsumeSession(
    _ cursor: Io_Typusomega_Goethe_Cursor
  ) async throws -> (topic: String, consumer: String, feed: EventFeed) {
    let topic = try requireTopic(cursor.topic.id)
    try Names.validateConsumer(cursor.consumer)
    if (try? store.topicInfo(topic)) == nil {
      guard v1ConsumeFollows, autoCreateTopics else { throw Self.noMoreEvents(in: topic) }
      _ = try? await store.createTopic(topic)
    }
    let at: Position =
      if !cursor.currentEvent.id.isEmpty {
        .event(try parseID(cursor.currentEvent.id))
      } else if let stored = try store.existingCursor(topic: topic, consumer: cursor.consumer) {
        .event(stored.eventID)
      } else {
        .beginning
      }
    let start = try store.resolveStart(at, in: topic)
    return (topic, cursor.consumer, EventFeed(store: store, start: start, follow: v1ConsumeFollows))
  }

  /// How Goethe v1 ended a Consume with nothing left to deliver.
  private static func noMoreEvents(in topic: String) -> RPCError {
    RPCError(code: .resourceExhausted, message: "no more events in topic: \(topic)")
  }

  // MARK: Topics

  func createTopic(
    request: Io_Typusomega_Goethe_CreateTopicRequest
  ) async throws -> Io_Typusomega_Goethe_TopicInfo {
    let granularity =
      try request.indexGranularitySeconds == 0 ? nil : Granularity(seconds: request.indexGranularitySeconds)
    return .init(
      try await store.createTopic(
        try requireTopic(request.topic), granularity: granularity,
        retention: RetentionChanges(
          maxAge: .init(wireValue: request.hasMaxAgeNanos ? request.maxAgeNanos : nil),
          maxEvents: .init(wireValue: request.hasMaxEvents ? request.maxEvents : nil),
          maxBytes: .init(wireValue: request.hasMaxBytes ? request.maxBytes : nil))))
  }

  /// The topics `visible` passes: those the caller may describe.
  func listTopics(
    request: Io_Typusomega_Goethe_ListTopicsRequest, visible: @escaping @Sendable (String) -> Bool
  ) async throws -> Io_Typusomega_Goethe_ListTopicsResponse {
    .with { $0.topics = store.listTopics().filter { visible($0.name) }.map(Io_Typusomega_Goethe_TopicInfo.init) }
  }

  func describeTopic(
    request: Io_Typusomega_Goethe_DescribeTopicRequest
  ) async throws -> Io_Typusomega_Goethe_TopicInfo {
    .init(try await store.describeTopic(try requireTopic(request.topic)))
  }

  func topicStats(
    request: Io_Typusomega_Goethe_TopicStatsRequest
  ) async throws -> Io_Typusomega_Goethe_TopicStatsResponse {
    let topic = try store.topicInfo(try requireTopic(request.topic))
    let to = request.toUnixNano == 0 ? UInt64.max : request.toUnixNano
    guard request.fromUnixNano <= to else {
      throw GoetheError(.invalidArgument, "the stats range ends before it starts")
    }
    let buckets = try await store.bucketCounts(topic.name, from: request.fromUnixNano, to: to)
    return .with {
      $0.indexGranularitySeconds = topic.granularity.seconds
      $0.buckets = buckets.map { bucket in
        .with {
          $0.startUnixNano = bucket.start
          $0.count = bucket.count
          $0.lastEventID = bucket.lastEventID
        }
      }
    }
  }

  // MARK: Events

  func append(
    request: Io_Typusomega_Goethe_AppendRequest
  ) async throws -> Io_Typusomega_Goethe_AppendResponse {
    Io_Typusomega_Goethe_AppendResponse(try await append([request])[0])
  }

  func subscribe(
    request: Io_Typusomega_Goethe_SubscribeRequest,
    response: ResponseWriter<Io_Typusomega_Goethe_SubscribeResponse>
  ) async throws {
    metrics.subscribers.increment()
    defer { metrics.subscribers.decrement() }
    let topic = try requireTopic(request.topic)
    let start = try await resolve(request.from, in: topic)
    let head = try store.topicInfo(topic).headSequence
    try await response.write(.with { $0.start = .init(start.info, headSequence: head) })
    let feed = EventFeed(
      store: store, start: start, through: try upperBound(request.to), limit: request.limit == 0 ? nil : request.limit,
      follow: request.follow)
    let compact = request.compactEvents
    try await runStream(store: store) {
      var feed = feed
      while let batch = try await feed.nextBatch() {
        try await response.sink.write(SubscribeEventsWire.frame(batch, compact: compact))
      }
    }
  }

  // MARK: The server

  func serverInfo(
    request: Io_Typusomega_Goethe_ServerInfoRequest
  ) async throws -> Io_Typusomega_Goethe_ServerInfoResponse {
    .with {
      $0.version = GoetheVersion.current
      $0.nodeID = store.nodeID
      $0.sync = store.durability.rawValue
      $0.maxEventSize = UInt64(store.maxEventSize)
    }
  }

  // MARK: Cursors

  func getCursor(
    request: Io_Typusomega_Goethe_GetCursorRequest
  ) async throws -> Io_Typusomega_Goethe_CursorInfo {
    .init(try store.cursor(topic: try requireTopic(request.topic), consumer: request.consumer))
  }

  func setCursor(
    request: Io_Typusomega_Goethe_SetCursorRequest
  ) async throws -> Io_Typusomega_Goethe_CursorInfo {
    let position = try Self.settablePosition(request.position, "a cursor is set")
    return .init(
      try await store.setCursor(topic: try requireTopic(request.topic), consumer: request.consumer, to: position))
  }

  /// Where a cursor, or a shared consumer's ack floor, can be put: an event id, a time, the
  /// beginning or the end; `what` names the setting in the refusal of anything else.
  static func settablePosition(
    _ message: Io_Typusomega_Goethe_Position, _ what: String
  ) throws(GoetheError)
    -> Position
  {
    switch message.kind {
    case .beginning: .beginning
    case .end: .end
    case .eventID(let id): .event(id)
    case .timeUnixNano(let time): .time(time)
    case .afterConsumer, .last, nil:
      throw GoetheError(.invalidArgument, "\(what) to an event id, a time, beginning or end")
    }
  }

  /// The cursors of the topic the request names, or of every topic `visible` passes: those
  /// whose consumers the caller may act as.
  func listCursors(
    request: Io_Typusomega_Goethe_ListCursorsRequest, visible: @escaping @Sendable (String) -> Bool
  ) async throws -> Io_Typusomega_Goethe_ListCursorsResponse {
    let cursors = try await store.listCursors(topic: request.topic.isEmpty ? nil : request.topic)
    return .with { $0.cursors = cursors.filter { visible($0.topic) }.map(Io_Typusomega_Goethe_CursorInfo.init) }
  }

  func deleteCursor(
    request: Io_Typusomega_Goethe_DeleteCursorRequest
  ) async throws -> Io_Typusomega_Goethe_DeleteCursorResponse {
    try await store.deleteCursor(topic: try requireTopic(request.topic), consumer: request.consumer)
    return .init()
  }

  // MARK: Helpers

  func timedAppend(
    _ payloads: [Data], to topic: String, expectedSequence: UInt64?, producer: ProducerRun? = nil
  ) async throws -> AppendResult {
    let started = ContinuousClock.now
    let result = try await store.append(
      payloads, to: topic, expectedSequence: expectedSequence, createTopic: autoCreateTopics, producer: producer)
    metrics.recordAppend(events: payloads.count, bytes: payloads.reduce(0) { $0 + $1.count }, since: started)
    return result
  }

  private func resolve(_ position: Io_Typusomega_Goethe_Position, in topic: String) async throws -> ReadStart {
    switch position.kind {
    case nil, .beginning: try store.resolveStart(.beginning, in: topic)
    case .end: try store.resolveStart(.end, in: topic)
    case .eventID(let id): try store.resolveStart(.event(id), in: topic)
    case .timeUnixNano(let time): try store.resolveStart(.time(time), in: topic)
    case .afterConsumer(let consumer): try store.resolveStart(afterConsumer: consumer, in: topic)
    case .last(let count): try await store.resolveStart(lastEvents: count, in: topic)
    }
  }

  /// The last event id a read may deliver: an id bound is inclusive, a time bound exclusive.
  private func upperBound(_ bound: Io_Typusomega_Goethe_Bound) throws(GoetheError) -> UInt64 {
    switch bound.kind {
    case nil: return .max
    case .eventID(let id): return id
    case .timeUnixNano(let time):
      guard time > 0 else { throw GoetheError(.invalidArgument, "the end time must be after the epoch") }
      return time - 1
    }
  }

  func requireTopic(_ name: String) throws(GoetheError) -> String {
    guard !name.isEmpty else { throw GoetheError(.invalidArgument, "no topic given; name one (\(Names.topicRule))") }
    try Names.validateTopic(name)
    return name
  }

  private func parseID(_ text: String) throws(GoetheError) -> UInt64 {
    guard let id = UInt64(text) else {
      throw GoetheError(.invalidArgument, "event id \"\(text)\" is not a decimal number")
    }
    return id
  }
}
