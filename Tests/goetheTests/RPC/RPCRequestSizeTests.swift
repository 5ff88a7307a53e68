import Foundation
import GRPCCore
import GoetheKit
import SwiftProtobuf
import Testing

@testable import goethe

/// Requests over the transport's size limit are refused with RESOURCE_EXHAUSTED naming the limit,
/// marked as Goethe's own refusal, and the connection goes on serving.
@Suite(.timeLimit(.minutes(1)))
struct RPCRequestSizeTests {
  static let settings = TransportSettings(maxRequestSize: 64 << 10)

  @Test func aBatchOverTheRequestLimitIsRefusedAndNothingIsStored() async throws {
    try await withRPCServer(transport: Self.settings) { server in
      try await server.withStub { stub in
        let request = Io_Typusomega_Goethe_AppendRequest.with {
          $0.topic = "blobs"
          $0.payloads = Array(repeating: Data(repeating: 7, count: 16 << 10), count: 5)
        }
        let error = await #expect(throws: RPCError.self) { try await stub.append(request) }
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message.contains("over the limit of 64 KiB") == true, "\(String(describing: error))")
        #expect(error?.metadata[stringValues: GoetheError.originKey].first(where: { _ in true }) == "too large")

        let produced = try await stub.produce("small", to: "blobs")
        #expect(produced.topic.id == "blobs", "the connection still serves")
      }
      try await server.withClient { (client) async throws in
        #expect(try await client.describeTopic("blobs").headSequence == 1)
      }
    }
  }

  /// A daemon that takes events over gRPC's usual 4 MiB (`--max-event-size`) sends them back in
  /// messages as large, which GoetheKit's client takes.
  @Test func eventsOverFourMebibytesAreReadBackThroughGoetheKit() async throws {
    let large = Data((0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    try await withRPCServer(maxEventSize: 8 << 20, transport: TransportSettings(maxRequestSize: 9 << 20)) { server in
      try await server.withClient { client in
        _ = try await client.append([large], to: "blobs")
        let read = try await client.subscribe("blobs", limit: 1) { subscription in
          var events: [StoredEvent] = []
          for try await batch in subscription { events += batch }
          return events
        }
        #expect(read.map(\.payload) == [large])
      }
    }
  }

  @Test func aStreamedMessageOverTheLimitEndsTheConversation() async throws {
    try await withRPCServer(transport: Self.settings) { server in
      try await server.withStub { stub in
        _ = try await stub.produce("a", to: "orders")
        _ = try await stub.produce("b", to: "orders")
        let error = await #expect(throws: RPCError.self) {
          try await stub.conversation { conversation in
            conversation.open(topic: "orders", consumer: "worker")
            var reply = try #require(try await conversation.receive())
            reply.consumer = String(repeating: "w", count: 100 << 10)
            conversation.commit(reply)
            return try await conversation.receive()
          }
        }
        #expect(error?.code == .resourceExhausted, "\(String(describing: error))")
      }
    }
  }
}
