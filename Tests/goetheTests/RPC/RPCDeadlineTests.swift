import GRPCCore
import GoetheKit
import SwiftProtobuf
import Testing

/// Calls whose deadline passes end with DEADLINE_EXCEEDED from the server.
///
/// The `grpc-timeout` header is sent as plain metadata, without a client-side deadline, so the
/// status checked is the one the server sent, not one the client made up when its own timer fired.
@Suite(.timeLimit(.minutes(1)))
struct RPCDeadlineTests {
  static let timeout: Metadata = ["grpc-timeout": "300m"]

  @Test func aFollowingSubscribeEndsWithDeadlineExceeded() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in _ = try await client.createTopic("quiet") }
      try await server.withStub { stub in
        let (_, error) = await Self.followUntilItEnds(stub, timeout: "300m")
        #expect(error?.code == .deadlineExceeded)
      }
    }
  }

  @Test func aWaitingV1ConsumeEndsWithDeadlineExceeded() async throws {
    try await withRPCServer(v1ConsumeFollows: true) { server in
      try await server.withStub { stub in
        let request = StreamingClientRequest<V1Cursor>(metadata: Self.timeout) { writer in
          try await writer.write(
            .with {
              $0.topic.id = "quiet"
              $0.consumer = "worker"
            })
          // Keep the request open, as a v1 client waiting for an event does.
          try await Task.sleep(for: .seconds(30))
        }
        let error = await #expect(throws: RPCError.self) {
          try await stub.consume(request: request) { response in
            for try await _ in response.messages {}
          }
        }
        #expect(error?.code == .deadlineExceeded)
      }
    }
  }

  /// A following Subscribe on `stub` with `timeout`: how long it took to end, and how it ended.
  static func followUntilItEnds(
    _ stub: RPCServer.GoetheStub, timeout: String
  ) async -> (elapsed: Duration, error: RPCError?) {
    let request = ClientRequest(
      message: Io_Typusomega_Goethe_SubscribeRequest.with {
        $0.topic = "quiet"
        $0.follow = true
      }, metadata: ["grpc-timeout": "\(timeout)"])
    let start = ContinuousClock.now
    do {
      try await stub.subscribe(request: request) { response in
        for try await _ in response.messages {}
      }
      return (ContinuousClock.now - start, nil)
    } catch {
      return (ContinuousClock.now - start, error as? RPCError)
    }
  }

  /// The connection's one timer is set for the earliest deadline: a call with an earlier deadline
  /// than those already watched moves it.
  @Test func anEarlierDeadlineThanTheWatchedOneIsKept() async throws {
    let gauge = SubscriberGauge()
    try await withRPCServer(metrics: gauge) { server in
      try await server.withClient { client in _ = try await client.createTopic("quiet") }
      try await server.withStub { stub in
        let later = Task { await Self.followUntilItEnds(stub, timeout: "50S") }
        defer { later.cancel() }
        #expect(await gauge.reaches(1, within: .seconds(10)), "the first subscription is open")
        let (elapsed, error) = await Self.followUntilItEnds(stub, timeout: "300m")
        #expect(error?.code == .deadlineExceeded)
        #expect(elapsed < .seconds(10), "\(elapsed)")
      }
    }
  }

  /// A call that ended before its deadline leaves the timer set for it; when it fires, the timer
  /// is set again for the next deadline of the calls still open.
  @Test func theTimerMovesOnToTheNextDeadlineWhenTheEarliestCallEndedFirst() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in _ = try await client.createTopic("quiet") }
      try await server.withStub { stub in
        let request = ClientRequest(
          message: V1Event.with {
            $0.topic.id = "quiet"
            $0.payload = .init("a".utf8)
          }, metadata: ["grpc-timeout": "200m"])
        _ = try await stub.produce(request: request)
        let (elapsed, error) = await Self.followUntilItEnds(stub, timeout: "600m")
        #expect(error?.code == .deadlineExceeded)
        #expect(elapsed < .seconds(10), "\(elapsed)")
      }
    }
  }

  @Test func aCallWithinItsDeadlineSucceeds() async throws {
    try await withRPCServer { server in
      try await server.withStub { (stub) async throws in
        let request = ClientRequest(
          message: V1Event.with {
            $0.topic.id = "orders"
            $0.payload = .init("a".utf8)
          }, metadata: ["grpc-timeout": "10S"])
        #expect(try await stub.produce(request: request).topic.id == "orders")
      }
    }
  }
}
