import Foundation
import GoetheKit
import Testing

/// When a client gives up a stream, the server's handler ends too, rather than lingering (waiting at
/// the head of the topic, or for the client's next message) until the next event on that topic.
@Suite(.timeLimit(.minutes(1)))
struct RPCAbandonedStreamTests {
  enum Abandon: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case cancelTheReadingTask = "a follow whose reading task is cancelled"
    case returnFromTheBody = "a follow whose reader returns early"
    case endAV1Consume = "a v1 Consume that ends after acknowledging the last event"
    var testDescription: String { rawValue }
  }

  @Test(arguments: Abandon.allCases)
  func serverHandlerEndsWhenTheClientAbandons(_ abandon: Abandon) async throws {
    let gauge = SubscriberGauge()
    try await withRPCServer(metrics: gauge) { server in
      _ = try await server.withClient { client in try await client.append(RPCTest.data("a"), to: "orders") }
      try await open(abandon, on: server)
      let ended = await gauge.reaches(0, within: .seconds(5))
      #expect(ended, "the server still runs \(gauge.value) stream handler(s) for clients that went away")
      // Nothing was left behind that an event would have to wake.
      let next = try await server.withClient { client in try await client.append(RPCTest.data("b"), to: "orders") }
      #expect(next.firstSequence == 2)
      #expect(gauge.value == 0)
    }
  }

  /// Opens a stream that reads up to the head of "orders" and waits there, then abandons it.
  private func open(_ abandon: Abandon, on server: RPCServer) async throws {
    switch abandon {
    case .cancelTheReadingTask:
      try await server.withClient { client in
        let (firstBatch, firstBatchSignal) = AsyncStream.makeStream(of: Void.self)
        await withTaskGroup(of: Void.self) { group in
          group.addTask {
            _ = try? await client.subscribe("orders", follow: true) { subscription in
              for try await _ in subscription { firstBatchSignal.yield() }
            }
          }
          var batches = firstBatch.makeAsyncIterator()
          await batches.next()
          group.cancelAll()
        }
      }
    case .returnFromTheBody:
      try await server.withClient { client in
        let first = try await client.subscribe("orders", follow: true) { subscription in
          var batches = subscription.makeAsyncIterator()
          return try await batches.next()
        }
        #expect(first.map(RPCTest.texts) == ["a"])
      }
    case .endAV1Consume:
      try await server.withStub { stub in
        let first = try await stub.conversation { conversation in
          conversation.open(topic: "orders", consumer: "worker")
          let reply = try #require(try await conversation.receive())
          conversation.commit(reply)
          return reply.currentEvent.payload
        }
        #expect(first == Data("a".utf8))
      }
    }
  }
}
