import Foundation
import GoetheKit
import Testing

/// Append through `GoetheClient`, in both durability modes.
@Suite(.timeLimit(.minutes(1)))
struct RPCAppendTests {
  @Test(arguments: Durability.allCases)
  func batchesGetConsecutiveIdsAndSequences(durability: Durability) async throws {
    try await withRPCServer(durability: durability) { server in
      try await server.withClient { client in
        let first = try await client.append(RPCTest.data("a", "b", "c", "d"), to: "orders")
        #expect(first.topic == "orders")
        #expect(first.firstSequence == 1)
        #expect(first.count == 4)
        let second = try await client.append(RPCTest.data("e", "f"), to: "orders")
        #expect(second.firstSequence == 5)
        #expect(second.count == 2)
        #expect(second.firstID > first.firstID + 3)

        let events = try await client.collect("orders").events
        #expect(RPCTest.texts(events) == ["a", "b", "c", "d", "e", "f"])
        #expect(events.map(\.id) == first.events.map(\.id) + second.events.map(\.id))
        #expect(events.map(\.id) == (0..<4).map { first.firstID + $0 } + [second.firstID, second.firstID + 1])
        #expect(events.map(\.sequence) == Array(1...6))
        #expect(events.allSatisfy { $0.topic == "orders" })
      }
    }
  }

  @Test(arguments: Durability.allCases)
  func expectedSequenceThatMatchesAppends(durability: Durability) async throws {
    try await withRPCServer(durability: durability) { server in
      try await server.withClient { client in
        _ = try await client.createTopic("orders")
        #expect(try await client.append(RPCTest.data("a"), to: "orders", expectedSequence: 0).firstSequence == 1)
        #expect(try await client.append(RPCTest.data("b", "c"), to: "orders", expectedSequence: 1).firstSequence == 2)
        #expect(try await client.describeTopic("orders").headSequence == 3)
      }
    }
  }

  @Test func payloadBytesArriveUnchanged() async throws {
    let binary = Data((0...255).map { UInt8($0) } + [0, 0, 255])
    try await withRPCServer { server in
      try await server.withClient { client in
        _ = try await client.append([binary, Data([0])], to: "blobs")
        #expect(try await client.collect("blobs").events.map(\.payload) == [binary, Data([0])])
      }
    }
  }

  @Test func emptyBatchesAndEmptyPayloadsAreRejectedWhole() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        _ = try await client.append(RPCTest.data("kept"), to: "orders")
        let empty = await #expect(throws: GoetheError.self) { try await client.append([], to: "orders") }
        #expect(empty?.code == .invalidArgument)
        let blank = await #expect(throws: GoetheError.self) {
          try await client.append([Data("x".utf8), Data()], to: "orders")
        }
        #expect(blank?.code == .invalidArgument)
        #expect(blank?.message.contains("event 2 of 2") == true)
        #expect(RPCTest.texts(try await client.collect("orders").events) == ["kept"])
      }
    }
  }
}
