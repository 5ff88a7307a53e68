import Foundation
import GRPCCore
import GoetheKit
import SwiftProtobuf
import Synchronization
import Testing

@testable import goethe

/// The producer's stream: batches in flight, answered in order once stored.
@Suite(.timeLimit(.minutes(1)))
struct RPCAppendStreamTests {
  @Test(arguments: [Durability.never, .always])
  func everyEventSentIsAcknowledgedInOrderAndStored(durability: Durability) async throws {
    try await withRPCServer(durability: durability) { server in
      try await server.withClient { client in
        let acks = Mutex<[AppendResult]>([])
        var options = ProducerOptions()
        options.maxBatchEvents = 50
        options.maxInFlight = 4
        try await client.withProducer(
          to: "orders", options: options,
          onAcknowledgement: { ack in
            acks.withLock { $0.append(ack) }
          }
        ) { producer in
          for number in 0..<2_000 { try await producer.send(Data("event \(number)".utf8)) }
        }
        let answered = acks.withLock { $0 }
        #expect(answered.reduce(0) { $0 + $1.count } == 2_000)
        #expect(
          answered.map(\.firstSequence)
            == answered.indices.map { index in
              1 + UInt64(answered[..<index].reduce(0) { $0 + $1.count })
            })
        let events = try await client.collect("orders").events
        #expect(RPCTest.texts(events) == (0..<2_000).map { "event \($0)" })
        #expect(events.map(\.sequence) == Array(1...2_000))
        for ack in answered {
          let stored = events[Int(ack.firstSequence) - 1]
          #expect(stored.id == ack.firstID)
        }
      }
    }
  }

  @Test func aFailingBatchEndsTheStreamAndOnlyAnsweredBatchesAreStored() async throws {
    try await withRPCServer(maxEventSize: 1024) { server in
      try await server.withClient { client in
        _ = try await client.createTopic("orders")
        let acknowledged = Mutex(0)
        var options = ProducerOptions()
        options.maxBatchEvents = 10
        let error = await #expect(throws: GoetheError.self) {
          try await client.withProducer(
            to: "orders", options: options,
            onAcknowledgement: { ack in
              acknowledged.withLock { $0 += ack.count }
            }
          ) { producer in
            for number in 0..<100 {
              try await producer.send(number == 55 ? Data(count: 2048) : Data("e\(number)".utf8))
            }
          }
        }
        #expect(error?.code == .tooLarge, "\(String(describing: error))")
        let stored = try await client.collect("orders").events
        #expect(stored.count == acknowledged.withLock { $0 })
        #expect(stored.count < 55)
        #expect(RPCTest.texts(stored) == (0..<stored.count).map { "e\($0)" })
      }
    }
  }

  @Test func aRefusedBatchEndsTheStreamWhileItsClientKeepsSending() async throws {
    try await withRPCServer { server in
      try await server.withStub { stub in
        _ = try await stub.createTopic(.with { $0.topic = "orders" })
        try await stub.appendStream { writer in
          // The topic is empty: a batch that expects its head at 5 is refused.
          try await writer.write(
            .with {
              $0.topic = "orders"
              $0.payloads = [Data("x".utf8)]
              $0.expectedSequence = 5
            })
          // A producer that waits for its next input, its side of the stream open.
          try await Task.sleep(for: .seconds(3600))
        } onResponse: { response in
          let error = await #expect(throws: RPCError.self) { for try await _ in response.messages {} }
          #expect(error?.code == .failedPrecondition, "\(String(describing: error))")
        }
      }
    }
  }
}

/// A producer whose body fails ends at once with that failure.
@Suite(.timeLimit(.minutes(1)))
struct ProducerBodyFailureTests {
  struct Stop: Error {}

  @Test func aFailingBodyEndsTheProducer() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        var options = ProducerOptions()
        options.maxBatchEvents = 10
        options.maxInFlight = 1
        await #expect(throws: (any Error).self) {
          try await client.withProducer(to: "orders", options: options, onAcknowledgement: { _ in }) { producer in
            for number in 0..<25 { try await producer.send(Data("e\(number)".utf8)) }
            throw Stop()
          }
        }
      }
    }
  }
}

/// Which batches of a stream are appended together.
@Suite struct AppendRunsTests {
  static func batch(_ topic: String, expected: UInt64? = nil) -> GoetheService.AppendRequest {
    .with {
      $0.topic = topic
      $0.payloads = [Data("x".utf8)]
      if let expected { $0.expectedSequence = expected }
    }
  }

  @Test func consecutiveBatchesOfOneTopicGoTogetherButConditionsStandAlone() {
    let runs = GoetheService.appendRuns([
      Self.batch("a"), Self.batch("a"), Self.batch("b"), Self.batch("b", expected: 3), Self.batch("b"), Self.batch("a"),
    ])
    #expect(runs.map { $0.map(\.topic) } == [["a", "a"], ["b"], ["b"], ["b"], ["a"]])
  }

  static func stamped(_ sequence: UInt64, by producer: String = "p1") -> GoetheService.AppendRequest {
    .with {
      $0.topic = "a"
      $0.payloads = [Data("x".utf8)]
      $0.producerID = producer
      $0.producerSequence = sequence
    }
  }

  @Test func consecutiveBatchesOfOneProducerGoTogetherUntilItsSequenceWraps() {
    let runs = GoetheService.appendRuns([
      Self.stamped(.max - 2), Self.stamped(.max - 1), Self.stamped(.max), Self.stamped(0), Self.stamped(1),
      Self.stamped(3), Self.stamped(4, by: "p2"),
    ])
    #expect(
      runs.map { $0.map(\.producerSequence) } == [[.max - 2, .max - 1, .max], [0, 1], [3], [4]])
  }
}

/// The bounded queue between a stream's reader and its appender.
@Suite(.timeLimit(.minutes(1)))
struct BatchingQueueTests {
  @Test func takesEverythingWaitingAndEndsAfterFinish() async throws {
    let queue = BatchingQueue<Int>(capacity: 100)
    for number in 1...5 { try await queue.put(number) }
    #expect(try await queue.takeAll() == [1, 2, 3, 4, 5])
    try await queue.put(6)
    queue.finish()
    #expect(try await queue.takeAll() == [6])
    #expect(try await queue.takeAll() == nil)
  }

  @Test func aFullQueueHoldsThePutterUntilATake() async throws {
    let queue = BatchingQueue<Int>(capacity: 2)
    try await queue.put(1)
    try await queue.put(2)
    let third = Task { try await queue.put(3) }
    #expect(try await queue.takeAll() == [1, 2])
    try await third.value
    #expect(try await queue.takeAll() == [3])
  }

  @Test func cancellationEndsAWaitingTake() async throws {
    let queue = BatchingQueue<Int>(capacity: 2)
    let take = Task { try await queue.takeAll() }
    take.cancel()
    await #expect(throws: CancellationError.self) { try await take.value }
  }
}
