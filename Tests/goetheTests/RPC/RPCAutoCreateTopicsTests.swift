import Foundation
import GRPCCore
import GoetheKit
import Testing

/// Whether producing to a missing topic creates it, as Goethe v1 did, or is refused.
@Suite(.timeLimit(.minutes(1)))
struct RPCAutoCreateTopicsTests {
  @Test func withoutAutoCreateProducingToAMissingTopicIsNotFound() async throws {
    try await withRPCServer(autoCreateTopics: false) { server in
      try await server.withClient { client in
        let error = await #expect(throws: GoetheError.self) { try await client.append(RPCTest.data("a"), to: "orders") }
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("orders") == true)
      }
      try await server.withStub { stub in
        let produced = await #expect(throws: RPCError.self) { try await stub.produce("a", to: "orders") }
        #expect(produced?.code == .notFound)
        let consumed = await #expect(throws: RPCError.self) {
          try await stub.conversation { conversation in
            conversation.open(topic: "orders", consumer: "c")
            return try await conversation.receive()
          }
        }
        #expect(consumed?.code == .resourceExhausted, "as Goethe v1 answered a consumer of a missing topic")
      }
      try await server.withClient { client in
        #expect(try await client.topics().isEmpty)
        _ = try await client.createTopic("orders")
        #expect(try await client.append(RPCTest.data("a"), to: "orders").firstSequence == 1)
      }
    }
  }

  @Test func withAutoCreateProducingCreatesTheTopic() async throws {
    try await withRPCServer(autoCreateTopics: true) { server in
      try await server.withClient { (client) async throws in
        let created = try await client.append(RPCTest.data("a"), to: "orders")
        #expect(created.firstSequence == 1)
        #expect(created.createdTopic, "the answer says the append created the topic")
        #expect(try await client.append(RPCTest.data("a2"), to: "orders").createdTopic == false)
      }
      try await server.withStub { (stub) async throws in
        #expect(try await stub.produce("b", to: "audit").topic.id == "audit")
      }
      try await server.withClient { client in
        let topics = try await client.topics()
        #expect(topics.map(\.name) == ["audit", "orders"])
        #expect(topics.map(\.headSequence) == [1, 2])
        #expect(topics.map(\.granularity) == [.hour, .hour])
      }
    }
  }
}
