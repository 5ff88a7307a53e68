import Foundation
import GoetheKit
import Testing

/// Stamped appends over the wire: a batch sent again, by another client, is answered with the ids
/// it got the first time and stored once.
@Suite(.timeLimit(.minutes(1)))
struct RPCIdempotentAppendTests {
  @Test(arguments: Durability.allCases)
  func aBatchSentAgainUnderItsStampIsStoredOnce(durability: Durability) async throws {
    try await withRPCServer(durability: durability) { server in
      let stamp = ProducerStamp(producer: ProducerStamp.newProducerID(), sequence: 1)
      let first = try await server.withClient {
        try await $0.append(RPCTest.data("a", "b"), to: "orders", stamp: stamp)
      }
      let again = try await server.withClient {
        try await $0.append(RPCTest.data("a", "b"), to: "orders", stamp: stamp)
      }
      #expect(!first.duplicate && again.duplicate)
      #expect(again.firstID == first.firstID && again.firstSequence == first.firstSequence && again.count == 2)
      try await server.withClient { client in
        let next = try await client.append(RPCTest.data("c"), to: "orders")
        #expect(next.firstSequence == 3 && !next.duplicate)
        #expect(RPCTest.texts(try await client.collect("orders").events) == ["a", "b", "c"])
        await expectError(.conflict, mentioning: ["must not number two batches alike"]) {
          _ = try await client.append(RPCTest.data("x"), to: "orders", stamp: stamp)
        }
      }
    }
  }

  @Test func aClientsAppendsAreStampedEachAnew() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        let first = try await client.append(RPCTest.data("same"), to: "t")
        let second = try await client.append(RPCTest.data("same"), to: "t")
        #expect(!first.duplicate && !second.duplicate)
        #expect(second.firstSequence == 2)
      }
    }
  }

  @Test func aProducerIdOutOfBoundsIsRefused() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        let long = String(repeating: "p", count: ProducerStamp.maxProducerLength + 1)
        await expectError(.invalidArgument, mentioning: ["producer id needs 1 to 128 bytes, not 129"]) {
          _ = try await client.append(RPCTest.data("x"), to: "t", stamp: ProducerStamp(producer: long, sequence: 1))
        }
      }
    }
  }
}
