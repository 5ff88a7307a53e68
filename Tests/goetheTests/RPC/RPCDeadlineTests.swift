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
        let request = ClientRequest(
          message: Io_Typusomega_Goethe_SubscribeRequest.with {
            $0.topic = "quiet"
            $0.follow = true
          }, metadata: Self.timeout)
        let error = await #expect(throws: RPCError.self) {
          try await stub.subscribe(request: request) { response in
            for try await _ in response.messages {}
          }
        }
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
