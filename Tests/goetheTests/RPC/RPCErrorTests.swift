import Foundation
import GRPCCore
import GoetheKit
import SwiftProtobuf
import Testing

/// Refused requests: the error code and message each caller sees, and that nothing was stored.
@Suite(.timeLimit(.minutes(1)))
struct RPCErrorTests {
  @Test func expectedSequenceConflictNamesTheHeadAndWritesNothing() async throws {
    try await withRPCServer(durability: .always) { server in
      try await server.withClient { client in
        _ = try await client.append(RPCTest.data("a", "b", "c"), to: "orders")
        let error = await #expect(throws: GoetheError.self) {
          try await client.append(RPCTest.data("late"), to: "orders", expectedSequence: 1)
        }
        #expect(error?.code == .conflict)
        #expect(error?.message.contains("sequence 3") == true, "\(String(describing: error))")
        #expect(try await client.describeTopic("orders").headSequence == 3)
      }
      try await server.withStub { stub in
        let error = await #expect(throws: RPCError.self) {
          try await stub.append(
            .with {
              $0.topic = "orders"
              $0.payloads = RPCTest.data("late")
              $0.expectedSequence = 0
            })
        }
        #expect(error?.code == .failedPrecondition)
        #expect(error?.message.contains("sequence 3") == true, "\(String(describing: error))")
      }
      try await server.withClient { (client) async throws in
        #expect(RPCTest.texts(try await client.collect("orders").events) == ["a", "b", "c"])
      }
    }
  }

  @Test func oversizeEventsAreRefusedNamingTheLimit() async throws {
    try await withRPCServer(maxEventSize: 1024) { server in
      try await server.withClient { client in
        _ = try await client.append([Data(repeating: 1, count: 1024)], to: "blobs")
        let error = await #expect(throws: GoetheError.self) {
          try await client.append([Data(repeating: 2, count: 10), Data(repeating: 3, count: 1025)], to: "blobs")
        }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("1 KiB") == true, "\(String(describing: error))")
      }
      try await server.withStub { stub in
        let error = await #expect(throws: RPCError.self) {
          try await stub.produce(String(repeating: "x", count: 2048), to: "blobs")
        }
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message.contains("1 KiB") == true, "\(String(describing: error))")
      }
      try await server.withClient { (client) async throws in
        #expect(try await client.describeTopic("blobs").headSequence == 1)
        #expect(try await client.collect("blobs").events.map(\.payload) == [Data(repeating: 1, count: 1024)])
      }
    }
  }

  @Test func invalidTopicNamesAreInvalidArguments() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        _ = try await client.append(RPCTest.data("a"), to: "orders")
        let calls: [(String, @Sendable () async throws -> Void)] = [
          ("append", { _ = try await client.append(RPCTest.data("x"), to: "no spaces") }),
          ("append to empty name", { _ = try await client.append(RPCTest.data("x"), to: "") }),
          ("create", { _ = try await client.createTopic("a/b") }),
          ("create too long", { _ = try await client.createTopic(String(repeating: "t", count: 250)) }),
          ("describe", { _ = try await client.describeTopic("bad name") }),
          ("subscribe", { _ = try await client.collect("ünïcode") }),
          ("stats", { _ = try await client.stats("bad*") }),
          ("set cursor", { _ = try await client.setCursor(topic: "../x", consumer: "c", to: .end) }),
        ]
        for (name, call) in calls {
          let error = await #expect(throws: GoetheError.self, "\(name)") { try await call() }
          #expect(error?.code == .invalidArgument, "\(name): \(String(describing: error))")
        }
        #expect(try await client.topics().map(\.name) == ["orders"])
        #expect(try await client.describeTopic("orders").headSequence == 1)
      }
    }
  }

  @Test func missingTopicsAndCursorsAreNotFound() async throws {
    try await withRPCServer(autoCreateTopics: false) { server in
      try await server.withClient { client in
        _ = try await client.createTopic("orders")
        _ = try await client.append(RPCTest.data("a"), to: "orders")
        _ = try await client.setCursor(topic: "orders", consumer: "billing", to: .end)
        let calls: [(String, @Sendable () async throws -> Void)] = [
          ("describe", { _ = try await client.describeTopic("missing") }),
          ("subscribe", { _ = try await client.collect("missing") }),
          ("stats", { _ = try await client.stats("missing") }),
          ("list cursors", { _ = try await client.cursors(topic: "missing") }),
          ("set cursor", { _ = try await client.setCursor(topic: "missing", consumer: "billing", to: .end) }),
          ("get cursor of a missing topic", { _ = try await client.cursor(topic: "missing", consumer: "billing") }),
          ("get cursor of an unknown consumer", { _ = try await client.cursor(topic: "orders", consumer: "nobody") }),
          (
            "delete cursor of an unknown consumer",
            { try await client.deleteCursor(topic: "orders", consumer: "nobody") }
          ),
        ]
        for (name, call) in calls {
          let error = await #expect(throws: GoetheError.self, "\(name)") { try await call() }
          #expect(error?.code == .notFound, "\(name): \(String(describing: error))")
        }
        #expect(try await client.topics().map(\.name) == ["orders"])
        #expect(try await client.cursors().map(\.consumer) == ["billing"])
        #expect(try await client.describeTopic("orders").headSequence == 1)
      }
    }
  }

  @Test func invalidConsumerNamesAreInvalidArguments() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        _ = try await client.append(RPCTest.data("a"), to: "orders")
        for consumer in ["", "tab\there", String(repeating: "c", count: 250)] {
          let error = await #expect(throws: GoetheError.self) {
            try await client.setCursor(topic: "orders", consumer: consumer, to: .end)
          }
          #expect(error?.code == .invalidArgument, "\(consumer.debugDescription)")
        }
        #expect(try await client.cursors().isEmpty)
      }
    }
  }
}
