public import Foundation
import GRPCCore
import GRPCProtobuf
import SwiftProtobuf
import Synchronization

/// An async client of a Goethe server, or of the nodes of a cluster. Every method throws
/// ``GoetheError``.
///
///     try await GoetheClient.withConnection(to: .defaultServer) { client in
///       let stored = try await client.append(["hello"].map { Data($0.utf8) }, to: "greetings")
///     }
///
/// Given several servers, calls go to one at a time, and move on when it cannot be reached (see
/// ``CallKind``). A write refused by a node that does not lead goes to the leader it names, or
/// waits out an election, so a client follows the leader wherever it started.
public struct GoetheClient: Sendable {
  let links: ServerLinks
  /// gRPC's options of every call. They carry no timeout: ``timeout`` is kept by ``call(_:withDeadline:_:)-(_,_,(ServerLinks.Link,_)->Result)``
  /// through ``CallDeadline``, which the transport enforces on the call's event loop.
  let options: CallOptions
  /// How long a request-response call may take, retries included.
  let timeout: Duration?
  /// The stamps of this client's appends: one producer id, a new number for each batch.
  let stamps = ProducerStamps()

  /// The server calls go to now.
  public var server: ServerAddress { links.currentServer }

  /// Streams run as long as they are needed: no deadline.
  var streamOptions: CallOptions { options }

  /// Connects to `server`, runs `body`, then closes the connection.
  ///
  /// The connection runs in a task of its own rather than a child of the caller, so that a caller
  /// whose task was cancelled (Ctrl-C) can still make a last call from an unstructured task, such as
  /// committing a cursor.
  /// - Parameters:
  ///   - security: TLS and the token; plaintext without a token by default.
  ///   - timeout: the deadline of each request-response call (streams have none).
  ///   - trace: told of each call once it ends, for debug output.
  public static func withConnection<Result: Sendable>(
    to server: ServerAddress, security: ClientSecurity = ClientSecurity(), timeout: Duration? = nil,
    trace: (@Sendable (CallRecord) -> Void)? = nil, _ body: (GoetheClient) async throws -> Result
  ) async throws -> Result {
    try await withConnection(to: [server], security: security, timeout: timeout, trace: trace, body)
  }

  /// Connects to the first of `servers`, runs `body`, then closes every connection it opened;
  /// calls move to the other servers as ``GoetheClient`` describes.
  public static func withConnection<Result: Sendable>(
    to servers: [ServerAddress], security: ClientSecurity = ClientSecurity(), timeout: Duration? = nil,
    trace: (@Sendable (CallRecord) -> Void)? = nil, _ body: (GoetheClient) async throws -> Result
  ) async throws -> Result {
    let links = try ServerLinks(
      servers: servers.isEmpty ? [.defaultServer] : servers, security: security,
      interceptors: (trace.map { [CallTracer(report: $0)] } ?? []) + security.interceptors)
    var options = CallOptions.defaults
    options.timeout = nil
    options.waitForReady = false
    let client = GoetheClient(links: links, options: options, timeout: timeout)
    do {
      let result = try await body(client)
      await links.close()
      return result
    } catch {
      await links.close()
      throw GoetheError(error, server: client.server)
    }
  }

  // MARK: Events

  /// Appends `payloads` to `topic` atomically (creating the topic if the server allows it).
  ///
  /// The batch carries a ``ProducerStamp``, so it is sent again, to the next server or the leader,
  /// also when a connection broke after it was sent: the server stores it once.
  /// - Parameters:
  ///   - expectedSequence: append only if the topic's head sequence is this (0 when empty).
  ///   - stamp: the batch's stamp, for a caller that sends a batch again itself (in another
  ///     client, after a restart); by default this client's producer id and its next number.
  public func append(
    _ payloads: [Data], to topic: String, expectedSequence: UInt64? = nil, stamp: ProducerStamp? = nil
  ) async throws -> AppendResult {
    let stamp = stamp ?? stamps.next()
    let request = Io_Typusomega_Goethe_AppendRequest.with {
      $0.topic = topic
      $0.payloads = payloads
      if let expectedSequence { $0.expectedSequence = expectedSequence }
      $0.stamp = stamp
    }
    return AppendResult(try await call(.idempotentWrite) { try await $0.stub.append(request, options: options) })
  }

  /// Streams `topic` from `from`; `body` reads the ``Subscription``, whose first element arrives
  /// once stored events or new commits are there. The stream ends when `body` returns.
  public func subscribe<Result: Sendable>(
    _ topic: String, from: ReadStartRequest = .position(.beginning), to bound: ReadBound? = nil,
    limit: UInt64? = nil, follow: Bool = false, _ body: @escaping @Sendable (Subscription) async throws -> Result
  ) async throws -> Result {
    let request = Io_Typusomega_Goethe_SubscribeRequest.with {
      $0.topic = topic
      $0.from = from.message
      if let bound { $0.to = bound.message }
      $0.limit = limit ?? 0
      $0.follow = follow
      $0.compactEvents = true
    }
    let streamOptions = streamOptions
    return try await call(.read, withDeadline: false) { link, started in
      try await link.grpc.serverStreaming(
        request: ClientRequest(message: request), descriptor: Io_Typusomega_Goethe_Goethe.Method.Subscribe.descriptor,
        serializer: ProtobufSerializer(), deserializer: SubscribeMessageDeserializer(topic: topic),
        options: streamOptions
      ) { response in
        let subscription = try await Subscription(response.messages)
        started()
        return try await body(subscription)
      }
    }
  }

  // MARK: The server

  /// The server's version, node and sync mode.
  public func serverInfo() async throws -> ServerInfo {
    let response = try await call(.read) { try await $0.stub.serverInfo(.init(), options: options) }
    return ServerInfo(
      version: response.version, nodeID: response.nodeID, durability: Durability(rawValue: response.sync),
      maxEventSize: Int(response.maxEventSize))
  }

  /// The cluster as the server's node sees it.
  public func clusterStatus() async throws -> ClusterStatus {
    let response = try await call(.read) { try await $0.clusterStub.status(.init(), options: options) }
    return try ClusterStatus(response)
  }

  // MARK: Topics

  /// Creates a topic; the limits `retention` keeps are the server's defaults.
  public func createTopic(
    _ name: String, granularity: Granularity? = nil, retention: RetentionChanges = RetentionChanges()
  ) async throws -> TopicInfo {
    var request = Io_Typusomega_Goethe_CreateTopicRequest.with {
      $0.topic = name
      $0.indexGranularitySeconds = granularity?.seconds ?? 0
    }
    if let value = retention.maxAge.wireValue { request.maxAgeNanos = value }
    if let value = retention.maxEvents.wireValue { request.maxEvents = value }
    if let value = retention.maxBytes.wireValue { request.maxBytes = value }
    return try TopicInfo(
      try await call(.write) { [request] link in try await link.stub.createTopic(request, options: options) })
  }

  /// Changes some of the topic's retention limits (max age in nanoseconds); returns the topic.
  public func setRetention(_ topic: String, _ changes: RetentionChanges) async throws -> TopicInfo {
    var request = Io_Typusomega_Goethe_SetRetentionRequest.with { $0.topic = topic }
    if let value = changes.maxAge.wireValue { request.maxAgeNanos = value }
    if let value = changes.maxEvents.wireValue { request.maxEvents = value }
    if let value = changes.maxBytes.wireValue { request.maxBytes = value }
    return try TopicInfo(
      try await call(.write) { [request] link in try await link.stub.setRetention(request, options: options) })
  }

  /// Deletes the topic with its events, cursors and time index.
  public func deleteTopic(_ name: String) async throws {
    _ = try await call(.write) { try await $0.stub.deleteTopic(.with { $0.topic = name }, options: options) }
  }

  /// Removes the topic's events before `position`; returns how many went, and the topic after.
  public func purgeTopic(_ name: String, before position: Position) async throws -> (removed: UInt64, topic: TopicInfo)
  {
    let request = Io_Typusomega_Goethe_PurgeTopicRequest.with {
      $0.topic = name
      $0.before = .init(position)
    }
    let response = try await call(.write) { try await $0.stub.purgeTopic(request, options: options) }
    return (response.removed, try TopicInfo(response.topic))
  }

  public func topics() async throws -> [TopicInfo] {
    try await call(.read) { try await $0.stub.listTopics(.init(), options: options) }.topics.map {
      message throws(GoetheError) in
      try TopicInfo(message)
    }
  }

  /// A topic with its consumers and their lag.
  public func describeTopic(_ name: String) async throws -> TopicInfo {
    try TopicInfo(
      try await call(.read) { try await $0.stub.describeTopic(.with { $0.topic = name }, options: options) })
  }

  /// Event counts per time-index bucket for buckets overlapping `from..<to` (UNIX nanoseconds).
  public func stats(_ topic: String, from: UInt64 = 0, to: UInt64? = nil) async throws -> (Granularity, [BucketCount]) {
    let request = Io_Typusomega_Goethe_TopicStatsRequest.with {
      $0.topic = topic
      $0.fromUnixNano = from
      $0.toUnixNano = to ?? 0
    }
    let response = try await call(.read) { try await $0.stub.topicStats(request, options: options) }
    return (
      try Granularity(seconds: response.indexGranularitySeconds),
      response.buckets.map { BucketCount(start: $0.startUnixNano, count: $0.count, lastEventID: $0.lastEventID) }
    )
  }

  // MARK: Cursors

  public func cursor(topic: String, consumer: String) async throws -> CursorInfo {
    let request = Io_Typusomega_Goethe_GetCursorRequest.with {
      $0.topic = topic
      $0.consumer = consumer
    }
    return CursorInfo(try await call(.read) { try await $0.stub.getCursor(request, options: options) })
  }

  /// Sets a cursor: an event id marks that event processed (a missing id resolves to the nearest
  /// following event); a time makes the consumer resume with the first event at or after it.
  public func setCursor(topic: String, consumer: String, to position: Position) async throws -> CursorInfo {
    let request = Io_Typusomega_Goethe_SetCursorRequest.with {
      $0.topic = topic
      $0.consumer = consumer
      $0.position = .init(position)
    }
    return CursorInfo(try await call(.write) { try await $0.stub.setCursor(request, options: options) })
  }

  /// The cursors of `topic`, or of every topic.
  public func cursors(topic: String? = nil) async throws -> [CursorInfo] {
    try await call(.read) { try await $0.stub.listCursors(.with { $0.topic = topic ?? "" }, options: options) }.cursors
      .map(
        CursorInfo.init)
  }

  public func deleteCursor(topic: String, consumer: String) async throws {
    let request = Io_Typusomega_Goethe_DeleteCursorRequest.with {
      $0.topic = topic
      $0.consumer = consumer
    }
    _ = try await call(.write) { try await $0.stub.deleteCursor(request, options: options) }
  }

  /// Runs a request-response call within the client's timeout, sending it again where `kind`
  /// allows (``Failover``). The deadline covers every attempt, connecting included, and the
  /// pauses between them.
  func call<Result: Sendable>(
    _ kind: CallKind, withDeadline: Bool = true, _ body: @escaping @Sendable (ServerLinks.Link) async throws -> Result
  ) async throws -> Result {
    try await call(kind, withDeadline: withDeadline) { link, _ in try await body(link) }
  }

  /// As ``call(_:withDeadline:_:)-(_,_,(ServerLinks.Link)->Result)``, for a call whose `body` says
  /// when it has begun to hand results on (`started`): after that, it is never sent again.
  func call<Result: Sendable>(
    _ kind: CallKind, withDeadline: Bool = true,
    _ body: @escaping @Sendable (ServerLinks.Link, _ started: @escaping @Sendable () -> Void) async throws -> Result
  ) async throws -> Result {
    let links = self.links
    let attempts: @Sendable () async throws -> Result = {
      var failover = Failover(servers: links.servers.count)
      while true {
        let link = try links.current()
        let started = Atomic<Bool>(false)
        do {
          // A request-response call runs on its connection's event loop, so that its request is
          // written and its answer read without a switch between threads; a stream does not, for
          // its body runs the caller's code, which must not hold the event loop.
          if withDeadline {
            return try await withTaskExecutorPreference(link.executor) {
              try await body(link) { started.store(true, ordering: .relaxed) }
            }
          }
          return try await body(link) { started.store(true, ordering: .relaxed) }
        } catch {
          let failure = GoetheError(error, server: link.server)
          guard !started.load(ordering: .relaxed), let pause = failover.next(after: failure, of: kind) else {
            throw failure
          }
          links.move(awayFrom: link.server, to: failure.notLeader?.leader)
          if let deadline = CallDeadline.current, ContinuousClock.now + pause >= deadline {
            throw GoetheError(
              .deadlineExceeded, "the deadline passed before the call could be sent again", cause: failure)
          }
          if pause > .zero { try await Task.sleep(for: pause) }
        }
      }
    }
    do {
      guard withDeadline, let timeout else { return try await attempts() }
      do {
        return try await CallDeadline.$current.withValue(ContinuousClock.now + timeout) { try await attempts() }
      } catch let error as GoetheError where error.code == .deadlineExceeded {
        throw GoetheError(
          .deadlineExceeded, "goethe at \(server) did not answer within \(timeout); is it overloaded or hung?",
          cause: error)
      }
    } catch {
      throw GoetheError(error, server: server)
    }
  }
}

extension GoetheError {
  /// The client's view of any failure while talking to `server`.
  init(_ error: any Error, server: ServerAddress) {
    switch error {
    case let error as GoetheError:
      self = error
    case let error as RPCError:
      self.init(error)
      if let failure = Self.tlsFailure(error, server: server) {
        self = failure
      } else if code == .unauthenticated || code == .permissionDenied {
        message = "goethe at \(server) refused the call: \(message)"
      } else if code == .unreachable, error.metadata[stringValues: Self.originKey].first(where: { _ in true }) != nil {
        message = "cannot talk to goethe at \(server): \(message)"
      } else if code == .unreachable {
        message =
          "cannot reach goethe at \(server) (\(error.transportReason)); is the daemon running? start it with: goethe"
      } else if let status = Self.httpStatus(error) {
        self.init(
          .unreachable,
          "cannot reach goethe at \(server): what answers there is not a gRPC server (HTTP \(status)); "
            + "is that the address goethe listens on?", cause: error)
      }
    case is CancellationError:
      self.init(.cancelled, "cancelled", cause: error)
    default:
      self.init(.internalError, "\(error)", cause: error)
    }
  }

  /// The HTTP status of an answer that was not gRPC, such as 404 from a web server or proxy on
  /// the address.
  private static func httpStatus(_ error: RPCError) -> Substring? {
    guard error.metadata[stringValues: originKey].first(where: { _ in true }) == nil else { return nil }
    return NonGRPCAnswer.status(in: error.message)
  }

}
