import Foundation
import GRPCCore
import GoetheKit
import SwiftProtobuf
import Testing

/// Goethe v1 clients: Produce and the Consume conversation, using only the v1 fields of Event and
/// Cursor through the generated stub.
@Suite(.timeLimit(.minutes(1)))
struct RPCGoetheV1Tests {
  @Test func produceReturnsTheDecimalIdAndTheTopic() async throws {
    try await withRPCServer { server in
      let (first, second) = try await server.withStub { stub in
        (try await stub.produce("hello", to: "greetings"), try await stub.produce("world", to: "greetings"))
      }
      #expect(first.topic.id == "greetings")
      #expect(first.payload == Data("hello".utf8))
      let firstID = try #require(UInt64(first.id), "id \(first.id) is not decimal")
      let secondID = try #require(UInt64(second.id), "id \(second.id) is not decimal")
      #expect(secondID > firstID)
      #expect(first.id == String(firstID), "no leading zeros or signs")

      try await server.withClient { client in
        let events = try await client.collect("greetings").events
        #expect(events.map(\.id) == [firstID, secondID])
        #expect(RPCTest.texts(events) == ["hello", "world"])
      }
    }
  }

  @Test func produceRefusesAnEmptyTopicOrPayload() async throws {
    try await withRPCServer { server in
      try await server.withStub { stub in
        let noTopic = await #expect(throws: RPCError.self) { try await stub.produce("x", to: "") }
        #expect(noTopic?.code == .invalidArgument)
        let noPayload = await #expect(throws: RPCError.self) {
          try await stub.produce(.with { $0.topic.id = "orders" })
        }
        #expect(noPayload?.code == .invalidArgument)
      }
      try await server.withClient { (client) async throws in
        #expect(try await client.topics().isEmpty)
      }
    }
  }

  @Test func consumeCommitsEachAcknowledgedEventAndResumesAtTheLastCommit() async throws {
    try await withRPCServer { server in
      try await server.withStub { stub in
        var produced: [String] = []
        for text in ["e1", "e2", "e3", "e4"] { produced.append(try await stub.produce(text, to: "orders").id) }
        let ids = produced

        let first = try await stub.conversation { conversation in
          conversation.open(topic: "orders", consumer: "worker")
          var replies: [V1Cursor] = []
          for _ in 0..<3 {
            let reply = try #require(try await conversation.receive())
            replies.append(reply)
            if replies.count < 3 { conversation.commit(reply) }
          }
          return replies
        }
        #expect(first.map(\.currentEvent.id) == Array(ids[0..<3]))
        #expect(first.map { String(decoding: $0.currentEvent.payload, as: UTF8.self) } == ["e1", "e2", "e3"])
        #expect(first.allSatisfy { $0.topic.id == "orders" && $0.consumer == "worker" })
        #expect(first.allSatisfy { $0.currentEvent.topic.id == "orders" })
        try await server.withClient { (client) async throws in
          #expect(try await client.cursor(topic: "orders", consumer: "worker").eventID == UInt64(ids[1]))
        }

        // A new conversation without an id starts at the last committed event (e2), which is
        // delivered again; at the end of the topic the stream ends with RESOURCE_EXHAUSTED.
        let second = await #expect(throws: RPCError.self) {
          try await stub.conversation { conversation in
            conversation.open(topic: "orders", consumer: "worker")
            var received: [String] = []
            while let reply = try await conversation.receive() {
              received.append(reply.currentEvent.id)
              conversation.commit(reply)
            }
            return received
          }
        }
        #expect(second?.code == .resourceExhausted)
        #expect(second?.message == "no more events in topic: orders")
        try await server.withClient { (client) async throws in
          #expect(try await client.cursor(topic: "orders", consumer: "worker").eventID == UInt64(ids[3]))
        }
      }
    }
  }

  @Test func consumeRedeliversTheStoredCursorsEventThenEnds() async throws {
    try await withRPCServer { server in
      try await server.withStub { stub in
        _ = try await stub.produce("a", to: "orders")
        let b = try await stub.produce("b", to: "orders")
        // The server commits each acknowledgement before it looks for the next event, so the end of
        // the stream means both commits are stored.
        let end = await #expect(throws: RPCError.self) {
          try await stub.conversation { conversation in
            conversation.open(topic: "orders", consumer: "worker")
            while let reply = try await conversation.receive() { conversation.commit(reply) }
          }
        }
        #expect(end?.code == .resourceExhausted)
        let again = try await stub.conversation { conversation in
          conversation.open(topic: "orders", consumer: "worker")
          return try #require(try await conversation.receive()).currentEvent.id
        }
        #expect(again == b.id)
      }
    }
  }

  @Test func consumeOfAnEmptyOrMissingTopicIsResourceExhaustedAndCreatesNothing() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in _ = try await client.createTopic("empty") }
      try await server.withStub { stub in
        for topic in ["empty", "missing"] {
          let error = await #expect(throws: RPCError.self) {
            try await stub.conversation { conversation in
              conversation.open(topic: topic, consumer: "worker")
              return try await conversation.receive()
            }
          }
          #expect(error?.code == .resourceExhausted)
          #expect(error?.message == "no more events in topic: \(topic)")
        }
      }
      try await server.withClient { (client) async throws in
        #expect(try await client.topics().map(\.name) == ["empty"])
      }
    }
  }

  @Test func consumeNeedsATopicAndAConsumer() async throws {
    try await withRPCServer { server in
      try await server.withStub { stub in
        _ = try await stub.produce("a", to: "orders")
        for (topic, consumer) in [("", "worker"), ("orders", "")] {
          let error = await #expect(throws: RPCError.self) {
            try await stub.conversation { conversation in
              conversation.open(topic: topic, consumer: consumer)
              return try await conversation.receive()
            }
          }
          #expect(error?.code == .invalidArgument)
        }
      }
    }
  }

  @Test func withFollowingConsumeWaitsAtTheEndForTheNextEvent() async throws {
    try await withRPCServer(v1ConsumeFollows: true) { server in
      try await server.withStub { stub in
        let a = try await stub.produce("a", to: "orders")
        let (first, produced, waited) = try await stub.conversation { conversation in
          conversation.open(topic: "orders", consumer: "worker")
          let first = try #require(try await conversation.receive())
          conversation.commit(first)
          let produced = try await stub.produce("b", to: "orders")
          let waited = try #require(try await conversation.receive())
          return (first.currentEvent.id, produced.id, waited.currentEvent.id)
        }
        #expect(first == a.id)
        #expect(waited == produced)
      }
    }
  }

  struct StartCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// The id sent in the first message, from the stored ids.
    var id: @Sendable ([UInt64]) -> String
    /// The index of the first event the server sends.
    var first: Int
    var testDescription: String { name }
  }

  static let startCases: [StartCase] = [
    StartCase(name: "an existing id starts at it", id: { String($0[1]) }, first: 1),
    StartCase(name: "the first id starts at the first event", id: { String($0[0]) }, first: 0),
    StartCase(name: "a missing id starts at the nearest following event", id: { String($0[1] + 5) }, first: 2),
    StartCase(name: "an id before every event starts at the first", id: { _ in "1" }, first: 0),
    StartCase(name: "id 0 starts at the first", id: { _ in "0" }, first: 0),
  ]

  @Test(arguments: startCases)
  func consumeFrom(_ startCase: StartCase) async throws {
    let clock = RPCClock()
    let times = (1...4).map { RPCClock.base + UInt64($0) * 10 * RPCClock.second }
    try await withRPCServer(clock: clock) { server in
      try await server.withStub { stub in
        var ids: [UInt64] = []
        for time in times {
          clock.set(time)
          ids.append(try #require(UInt64(try await stub.produce("at \(time)", to: "orders").id)))
        }
        try #require(ids == times)
        let startID = startCase.id(ids)
        let received = try await stub.conversation { conversation in
          conversation.open(topic: "orders", consumer: "worker", eventID: startID)
          let reply = try #require(try await conversation.receive())
          return reply.currentEvent.id
        }
        #expect(received == String(ids[startCase.first]))
      }
      try await server.withClient { client in
        let error = await #expect(throws: GoetheError.self, "the first message commits nothing") {
          try await client.cursor(topic: "orders", consumer: "worker")
        }
        #expect(error?.code == .notFound)
      }
    }
  }

  @Test func consumeWithANonDecimalIdIsAnInvalidArgument() async throws {
    try await withRPCServer { server in
      try await server.withStub { stub in
        _ = try await stub.produce("a", to: "orders")
        let error = await #expect(throws: RPCError.self) {
          try await stub.conversation { conversation in
            conversation.open(topic: "orders", consumer: "worker", eventID: "0x1f")
            return try await conversation.receive()
          }
        }
        #expect(error?.code == .invalidArgument)
      }
    }
  }

  @Test func committingAnEventThatDoesNotExistFailsAndKeepsTheCursor() async throws {
    try await withRPCServer { server in
      try await server.withStub { stub in
        let a = try await stub.produce("a", to: "orders")
        _ = try await stub.produce("b", to: "orders")
        let error = await #expect(throws: RPCError.self) {
          try await stub.conversation { conversation in
            conversation.open(topic: "orders", consumer: "worker")
            var reply = try #require(try await conversation.receive())
            conversation.commit(reply)
            reply = try #require(try await conversation.receive())
            reply.currentEvent.id = String(UInt64(reply.currentEvent.id)! + 1)
            conversation.commit(reply)
            return try await conversation.receive()
          }
        }
        #expect(error?.code == .notFound)
        try await server.withClient { (client) async throws in
          #expect(try await client.cursor(topic: "orders", consumer: "worker").eventID == UInt64(a.id))
        }
      }
    }
  }
}
