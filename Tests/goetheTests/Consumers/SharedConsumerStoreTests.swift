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

  /// A cursor moved back past stored acks (`goethectl cursor set` while the consumer has no
  /// members) delivers again every event after it, as a reset does: none of those acked above the
  /// old floor is skipped.
  @Test func aCursorMovedBackDropsTheAcksAboveIt() async throws {
    try await withEventStore(.testing()) { store in
      _ = try await store.createTopic("t")
      for number in 1...6 { _ = try await store.append(payloads("e\(number)"), to: "t") }
      let events = try store.allEvents(in: "t")
      var record = ConsumerRecord()
      record.floor = CursorRecord(eventID: events[2].id, sequence: events[2].sequence, updated: 0)
      record.acked = [events[4].id, events[5].id]
      try await store.saveConsumer(topic: "t", consumer: "billing", record: record)

      _ = try await store.setCursor(topic: "t", consumer: "billing", to: .event(events[0].id))
      let moved = try #require(try store.consumerRecord(topic: "t", consumer: "billing"))
      #expect(moved.floor.eventID == events[0].id)
      #expect(moved.acked.isEmpty, "acks above the new floor would skip events \(moved.acked)")
    }
  }

  /// A topic deleted under a shared consumer, and made again under its name, ends the members'
  /// deliveries with NOT_FOUND: the pump must not read on in the deleted topic's number (where a
  /// wait returns at once, so it would look again and again), nor store its state into the new
  /// topic's.
  @Test func aTopicDeletedUnderItsConsumerEndsItsMembersDeliveries() async throws {
    try await withEventStore(.testing()) { store in
      _ = try await store.createTopic("t")
      let consumer = SharedConsumer(topic: "t", name: "billing", store: store)
      let joined = try await consumer.join(member: "m1", change: ConsumerSettingsChange())
      await consumer.receive(from: joined.id, credit: 10, acks: [], ackUpTo: 0, rejects: [])
      let number = try store.state.withLock { try $0.topic("t").record.number }
      try await eventually("the pump waits at the head") { store.notifier.waiterCount(topic: number) == 1 }
      try await store.deleteTopic("t")
      _ = try await store.append(payloads("new"), to: "t", createTopic: true)
      let deliveries = joined.deliveries
      let error = await withTaskGroup(of: GoetheError?.self) { group in
        group.addTask {
          do {
            for try await _ in deliveries {}
            return nil
          } catch {
            return error as? GoetheError
          }
        }
        group.addTask {
          try? await Task.sleep(for: .seconds(10))  // a deadline, not a synchronisation
          return GoetheError(.deadlineExceeded, "the deliveries did not end")
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
      }
      #expect(error?.code == .notFound, "\(String(describing: error))")
      #expect(try store.consumerRecord(topic: "t", consumer: "billing") == nil, "the deleted topic's consumer moved in")
    }
  }
}
