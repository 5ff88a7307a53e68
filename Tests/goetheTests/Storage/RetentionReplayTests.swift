import Foundation
import GoetheKit
import Testing

@testable import goethe

/// Retention limits, trims and deletions are committed writes like the others: replayed on another
/// store, from the start or as they happen, they give the same records, byte for byte.
@Suite struct RetentionReplayTests {
  /// A history with limits set at creation and later, trims across buckets, and a deleted topic.
  static func writeHistory(
    _ store: any GoetheStore, clock: FakeClock, after step: () async throws -> Void
  )
    async throws
  {
    try await CommittedWriteTests.writeHistory(store, clock: clock)
    try await step()
    _ = try await store.createTopic("bounded", granularity: .minimum, retention: RetentionChanges(maxEvents: .set(3)))
    for number in 1...8 {
      _ = try await store.append(payloads("b\(number)"), to: "bounded")
      clock.advance(by: 25 * 1_000_000_000)
    }
    try await step()
    let cut = try #require(try await store.retentionCut("bounded", now: store.now(), limit: 10_000))
    try await store.trim("bounded", through: cut)
    try await step()
    _ = try await store.setRetention(
      "orders", RetentionChanges(maxAge: .set(60 * 1_000_000_000), maxBytes: .set(1 << 20)))
    let purge = try #require(try await store.purgeCut("orders", before: .end, limit: 2))
    try await store.trim("orders", through: purge)
    try await step()
    try await store.deleteTopic("created-by-append")
    _ = try await store.append(payloads("after"), to: "orders")
    try await step()
  }

  @Test func aReplicaThatFollowsAlongHoldsTheSameRecords() async throws {
    let clock = FakeClock()
    try await withEventStore(.testing(clock: clock)) { leader in
      try await withEventStore(.testing(clock: FakeClock(0))) { follower in
        try await Self.writeHistory(leader, clock: clock) {
          try await CommittedWriteTests.replay(leader, onto: follower)
          #expect(try CommittedWriteTests.records(follower) == CommittedWriteTests.records(leader))
        }
        #expect(follower.listTopics() == leader.listTopics())
        #expect(try follower.allEvents(in: "bounded").map(\.payloadText) == ["b6", "b7", "b8"])
      }
    }
  }

  @Test func aReplicaThatStartsAfterTheEventsWereRemovedHoldsTheSameRecords() async throws {
    let clock = FakeClock()
    try await withEventStore(.testing(clock: clock)) { leader in
      try await Self.writeHistory(leader, clock: clock) {}
      let writes = try await leader.committedWrites(after: 0, limit: 1_000)
      for write in writes {
        #expect(try CommittedWrite(write.message) == write, "the replication wire carries every change")
      }
      try await withEventStore(.testing(clock: FakeClock(0))) { follower in
        try await CommittedWriteTests.replay(leader, onto: follower)
        #expect(try CommittedWriteTests.records(follower) == CommittedWriteTests.records(leader))
        #expect(follower.listTopics() == leader.listTopics())
      }
    }
  }

  @Test func writesThatRemovedEventsCannotBeTruncatedAway() async throws {
    let clock = FakeClock()
    try await withEventStore(.testing(clock: clock)) { store in
      _ = try await store.append(payloads("a", "b"), to: "t", createTopic: true)
      let index = store.lastCommitIndex
      try await store.trim("t", through: TopicState.Head(id: FakeClock.epoch, sequence: 1))
      await expectError(.conflict, mentioning: ["cannot undo write \(index + 1)"]) {
        try await store.truncate(after: index)
      }
    }
  }
}
