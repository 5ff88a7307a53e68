import Foundation
import GoetheKit
import Testing

@testable import goethe

/// Committed writes are values: read back from one store's commit log and applied to another,
/// they give the same records, byte for byte.
@Suite struct CommittedWriteTests {
  /// Every key and value of the store except its node identity, which is each node's own.
  static func records(_ store: EventStore) throws -> [[UInt8]: [UInt8]] {
    var records: [[UInt8]: [UInt8]] = [:]
    let iterator = try store.db.makeIterator()
    iterator.seek([])
    while iterator.isValid {
      let key = Array(iterator.key)
      if key != KeySchema.nodeIDKey { records[key] = Array(iterator.value) }
      iterator.next()
    }
    try iterator.checkError()
    return records
  }

  /// Topics, events in several batches across time-index buckets, a topic created by its first
  /// append, an append of stamped batches, cursors set, moved and deleted, shared consumers stored
  /// and one deleted.
  static func writeHistory(_ store: any GoetheStore, clock: FakeClock) async throws {
    _ = try await store.createTopic("orders", granularity: .minimum)
    _ = try await store.append(payloads("a", "b", "c"), to: "orders")
    clock.advance(by: 90 * 1_000_000_000)
    _ = try await store.append(payloads("d"), to: "orders")
    _ = try await store.append(payloads("x", "y"), to: "created-by-append", createTopic: true)
    clock.advance(by: 3_600 * 1_000_000_000)
    _ = try await store.append(payloads("e", "f"), to: "orders")
    _ = try await store.append(
      payloads("g", "h", "i"), to: "orders", producer: ProducerRun(producer: "p1", firstSequence: 7, counts: [2, 1]))
    _ = try await store.setCursor(topic: "orders", consumer: "billing", to: .beginning)
    _ = try await store.setCursor(topic: "orders", consumer: "billing", to: .end)
    _ = try await store.setCursor(topic: "created-by-append", consumer: "audit", to: .end)
    try await store.deleteCursor(topic: "created-by-append", consumer: "audit")
    let orders = try store.allEvents(in: "orders")
    var shared = ConsumerRecord()
    shared.settings.deadLetter = "orders-dead"
    shared.floor = CursorRecord(eventID: orders[0].id, sequence: 1, updated: 5)
    shared.acked = [orders[2].id]
    shared.parked = [ParkedEvent(id: orders[1].id, sequence: 2, deliveries: 3)]
    try await store.saveConsumer(topic: "orders", consumer: "shared", record: shared)
    try await store.saveConsumer(topic: "created-by-append", consumer: "gone", record: ConsumerRecord())
    try await store.deleteCursor(topic: "created-by-append", consumer: "gone")
  }

  /// Applies every committed write of `source` to `target`, a page at a time.
  static func replay(_ source: any GoetheStore, onto target: any GoetheStore) async throws {
    while true {
      let writes = try await source.committedWrites(after: target.lastCommitIndex, limit: 3)
      if writes.isEmpty { return }
      for write in writes { try await target.apply(write) }
    }
  }

  @Test func replayingTheCommittedWritesGivesTheSameRecords() async throws {
    let clock = FakeClock()
    try await withEventStore(.testing(clock: clock)) { leader in
      try leader.lead(epoch: 7)
      try await Self.writeHistory(leader, clock: clock)
      try await withEventStore(.testing(clock: FakeClock(0))) { follower in
        try follower.lead(epoch: 7)
        try await Self.replay(leader, onto: follower)
        #expect(try Self.records(follower) == Self.records(leader))
        #expect(follower.listTopics() == leader.listTopics())
        #expect(
          try follower.allEvents(in: "orders").map(\.payloadText) == ["a", "b", "c", "d", "e", "f", "g", "h", "i"])
      }
    }
  }

  @Test func writesGetConsecutiveIndexesAndTheCurrentEpoch() async throws {
    let clock = FakeClock()
    try await withTemporaryDirectory { _, path in
      try await withEventStore(at: path, .testing(clock: clock)) { store in
        _ = try await store.createTopic("t")
        try store.lead(epoch: 3)
        _ = try await store.append(payloads("1", "2"), to: "t")
        _ = try await store.setCursor(topic: "t", consumer: "c", to: .end)
        let writes = try await store.committedWrites(after: 0)
        #expect(writes.map(\.index) == [1, 2, 3])
        #expect(writes.map(\.epoch) == [0, 3, 3])
        #expect(try (0...4).map { try store.epoch(ofWriteAt: $0) } == [0, 0, 3, 3, nil])
        guard case .append(let topic, nil, _, 1, let sent, _) = writes[1].change else {
          Issue.record("not an append: \(writes[1].change)")
          return
        }
        #expect(topic == "t" && sent == payloads("1", "2"))
        await expectError(.conflict, mentioning: ["epoch 2", "epoch 3"]) { try store.lead(epoch: 2) }
      }
      try await withEventStore(at: path, .testing(clock: clock)) { store in
        #expect(store.lastCommitIndex == 3, "the commit index survives reopening")
        #expect(store.epoch == 3)
        _ = try await store.append(payloads("3"), to: "t")
        #expect(try await store.committedWrites(after: 3).map(\.index) == [4])
      }
    }
  }

  @Test func writesThatDoNotFollowAreRefusedAndChangeNothing() async throws {
    let clock = FakeClock()
    try await withEventStore(.testing(clock: clock)) { leader in
      try leader.lead(epoch: 5)
      try await Self.writeHistory(leader, clock: clock)
      let writes = try await leader.committedWrites(after: 0)
      try await withEventStore { follower in
        try await follower.apply(writes[0])
        try await follower.apply(writes[1])
        let before = try Self.records(follower)
        await expectError(.conflict, mentioning: ["does not follow"]) { try await follower.apply(writes[3]) }
        await expectError(.conflict, mentioning: ["does not follow"]) { try await follower.apply(writes[1]) }
        var stale = writes[2]
        stale.epoch = 4
        await expectError(.conflict, mentioning: ["epoch 4"]) { try await follower.apply(stale) }
        var gap = writes[2]
        if case .append(let topic, let created, let firstID, _, let sent, _) = gap.change {
          gap.change = .append(topic: topic, created: created, firstID: firstID, firstSequence: 5, payloads: sent)
        }
        await expectError(.conflict, mentioning: ["sequence 5", "orders"]) { try await follower.apply(gap) }
        var takenNumber = writes[0]
        takenNumber.index = 3
        if case .createTopic(_, let record) = takenNumber.change {
          takenNumber.change = .createTopic(name: "other", record: record)
        }
        await expectError(.conflict, mentioning: ["number 1", "orders"]) { try await follower.apply(takenNumber) }
        #expect(try Self.records(follower) == before)
        #expect(follower.lastCommitIndex == 2)
        #expect(follower.epoch == 5)
      }
    }
  }

  @Test func aFormatOneStoreIsUpgradedWithACommitLogOfItsRecords() async throws {
    let clock = FakeClock()
    try await withTemporaryDirectory { _, path in
      try await withEventStore(at: path, .testing(clock: clock)) { store in
        try await Self.writeHistory(store, clock: clock)
        // What format 1 wrote: no commit log, version 1.
        let batch = WriteBatch()
        for index in 1...store.lastCommitIndex { batch.delete(KeySchema.commitLogKey(index)) }
        batch.put(KeySchema.formatVersionKey, [0, 0, 0, 1])
        try store.db.write(batch, sync: true)
      }
      try await withEventStore(at: path, .testing(clock: clock)) { upgraded in
        #expect(try upgraded.db.get(KeySchema.formatVersionKey) == KeySchema.formatVersionValue)
        #expect(upgraded.lastCommitIndex > 0)
        try await withEventStore { replica in
          try await Self.replay(upgraded, onto: replica)
          #expect(try Self.records(replica) == Self.records(upgraded))
        }
        _ = try await upgraded.append(payloads("after the upgrade"), to: "orders")
      }
    }
  }

  @Test func aRepairWritesTheCommitLogAnew() async throws {
    let clock = FakeClock()
    try await withTemporaryDirectory { _, path in
      try await withEventStore(at: path, .testing(clock: clock)) { store in
        try await Self.writeHistory(store, clock: clock)
      }
      try EventStore.repair(path: path, options: .testing(clock: clock))
      try await withEventStore(at: path, .testing(clock: clock)) { repaired in
        try await withEventStore { replica in
          try await Self.replay(repaired, onto: replica)
          #expect(try Self.records(replica) == Self.records(repaired))
        }
      }
    }
  }

  @Test func aBatchOfWritesAppliesInOneGoOrNotAtAll() async throws {
    let clock = FakeClock()
    try await withEventStore(.testing(clock: clock)) { leader in
      try await Self.writeHistory(leader, clock: clock)
      let history = try await leader.committedWrites(after: 0)
      try await withEventStore(.testing(clock: FakeClock(0))) { follower in
        try await follower.apply(Array(history.prefix(2)))
        let before = try Self.records(follower)
        let topicsBefore = follower.listTopics()
        // The fourth write's place is taken by a copy of the third: the whole batch is refused.
        var broken = Array(history[2..<5])
        broken[2] = CommittedWrite(index: broken[2].index, epoch: broken[2].epoch, change: broken[1].change)
        await expectError(.conflict) { try await follower.apply(broken) }
        #expect(try Self.records(follower) == before, "nothing of a refused batch is applied")
        #expect(follower.lastCommitIndex == 2)
        #expect(follower.listTopics() == topicsBefore, "nor is anything it planned kept in memory")
        try await follower.apply(Array(history.dropFirst(2)))
        #expect(try Self.records(follower) == Self.records(leader))
        #expect(follower.listTopics() == leader.listTopics())
      }
    }
  }
}
