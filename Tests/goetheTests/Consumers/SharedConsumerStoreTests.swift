import Foundation
import GoetheKit
import Synchronization
import Testing

@testable import goethe

/// A shared consumer's state reaches the store one store at a time, each with the state as it is
/// when its turn comes: two in flight could reach the store in either order, and the older state,
/// written last, would undo the newer one.
@Suite(.timeLimit(.minutes(1)))
struct SharedConsumerStoreTests {
  @Test func aSecondStoreWaitsForTheFirstAndTheNewestStateIsKept() async throws {
    try await withEventStore(.testing()) { store in
      _ = try await store.createTopic("t")
      for number in 1...3 { _ = try await store.append(payloads("e\(number)"), to: "t") }
      let events = try store.allEvents(in: "t")
      let consumer = SharedConsumer(topic: "t", name: "billing", store: store)
      func cursor(at index: Int) -> CursorRecord {
        CursorRecord(eventID: events[index].id, sequence: events[index].sequence, updated: 0)
      }
      func storesPlanned() -> Int { store.state.withLock { $0.waiting.count } }

      // The first reset's store is planned, and held back as if a write were in progress.
      store.holdTheWritingTurn()
      let first = Task { try await consumer.reset(to: cursor(at: 0)) }
      try await eventually("the first reset's store is planned") { storesPlanned() == 1 }
      let second = Task { try await consumer.reset(to: cursor(at: 1)) }
      // A short look for the second store: it must wait for the first to be written.
      for _ in 0..<10 {
        try await Task.sleep(for: .milliseconds(20))
        #expect(storesPlanned() == 1, "the second store raced the first to the store")
      }
      store.handOnTheWritingTurn()
      _ = try await first.value
      _ = try await second.value
      #expect(try store.consumerRecord(topic: "t", consumer: "billing")?.floor.eventID == events[1].id)
    }
  }
}
