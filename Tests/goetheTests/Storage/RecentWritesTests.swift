import Foundation
import GoetheKit
import Synchronization
import Testing

@testable import goethe

/// A clustered node keeps its latest committed writes in memory, and its replication links read
/// them there: what they read must be what the commit log holds, write for write.
@Suite struct RecentWritesTests {
  private static func keeping(_ clock: FakeClock, bytes: Int = 1 << 20) -> StoreOptions {
    var options = StoreOptions.testing(clock: clock)
    options.recentWriteBytes = bytes
    return options
  }

  /// Every page of writes, after every index, as `store` answers it.
  private static func pages(_ store: EventStore) async throws -> [[CommittedWrite]] {
    var pages: [[CommittedWrite]] = []
    for index in 0...store.lastCommitIndex { pages.append(try await store.committedWrites(after: index, limit: 3)) }
    return pages
  }

  @Test func theWritesInMemoryAreTheWritesOfTheCommitLog() async throws {
    let clock = FakeClock()
    try await withTemporaryDirectory { _, path in
      let fromMemory = try await withEventStore(at: path, Self.keeping(clock)) { store in
        try store.lead(epoch: 2)
        try await CommittedWriteTests.writeHistory(store, clock: clock)
        _ = try await store.append(payloads("j"), to: "orders")
        _ = try await store.append(payloads("k", "l"), to: "created-by-append")
        _ = try await store.append(payloads("m"), to: "new", createTopic: true)
        let last = store.lastCommitIndex
        let held = store.state.withLock { $0.recent.writes(after: last - 3, limit: 10) }
        #expect(held?.map(\.index) == [last - 2, last - 1, last], "the appends after the last cursor write are held")
        #expect(store.state.withLock { $0.recent.writes(after: 0, limit: 10) } == nil, "a cursor write ends the run")
        return try await Self.pages(store)
      }
      try await withEventStore(at: path, .testing(clock: clock)) { reopened in
        #expect(reopened.state.withLock { $0.recent.writes(after: 0, limit: 1) } == nil)
        let fromDisk = try await Self.pages(reopened)
        #expect(fromDisk == fromMemory)
      }
    }
  }

  @Test func aFollowerKeepsTheWritesItApplies() async throws {
    let clock = FakeClock()
    try await withEventStore(.testing(clock: clock)) { leader in
      try leader.lead(epoch: 3)
      try await CommittedWriteTests.writeHistory(leader, clock: clock)
      let history = try await leader.committedWrites(after: 0)
      try await withEventStore(Self.keeping(FakeClock(0))) { follower in
        try await follower.apply(Array(history.prefix(4)))
        try await follower.apply(Array(history.dropFirst(4)))
        #expect(follower.state.withLock { $0.recent.writes(after: 0, limit: 100) } == history)
        #expect(try (0...history.count).map { try follower.epoch(ofWriteAt: UInt64($0)) } == [0] + history.map(\.epoch))
      }
    }
  }

  @Test func truncationEmptiesItAndTheNextWritesStartAnew() async throws {
    try await withEventStore(Self.keeping(FakeClock())) { store in
      _ = try await store.append(payloads("a"), to: "t", createTopic: true)
      let kept = store.lastCommitIndex
      _ = try await store.append(payloads("b"), to: "t")
      try await store.truncate(after: kept)
      #expect(store.state.withLock { $0.recent.writes(after: kept, limit: 10) } == nil)
      #expect(try await store.committedWrites(after: kept, limit: 10).isEmpty, "the undone write is not sent")
      _ = try await store.append(payloads("c"), to: "t")
      let sent = try #require(store.state.withLock { $0.recent.writes(after: kept, limit: 10) })
      guard sent.count == 1, case .append(_, _, _, _, let payloads, _) = sent[0].change else {
        Issue.record("not the one append after the truncation: \(sent)")
        return
      }
      #expect(sent[0].index == kept + 1 && payloads == goetheTests.payloads("c"))
    }
  }

  @Test func theOldestGoFirstPastItsBytes() {
    var recent = RecentWrites(maxBytes: 2 * (RecentWrites.overhead + 4) + 1)
    func append(_ index: UInt64, _ text: String) -> CommittedWrite {
      CommittedWrite(
        index: index, epoch: 1,
        change: .append(topic: "t", created: nil, firstID: index, firstSequence: index, payloads: payloads(text)))
    }
    recent.record((1...4).map { append($0, "four") })
    #expect(recent.writes(after: 1, limit: 10) == nil, "writes 1 and 2 went for the bytes of 3 and 4")
    #expect(recent.writes(after: 2, limit: 10)?.map(\.index) == [3, 4])
    #expect(recent.writes(after: 4, limit: 10) == [], "nothing after the last durable write")
    #expect(recent.epoch(ofWriteAt: 2) == nil && recent.epoch(ofWriteAt: 3) == 1)
    recent.record(nil)
    #expect(recent.writes(after: 2, limit: 10) == nil, "a write without its value ends the run")
    recent.record([append(9, "x")])
    #expect(recent.writes(after: 8, limit: 10)?.map(\.index) == [9])
    var cursors = RecentWrites(maxBytes: 3 * RecentWrites.overhead)
    cursors.record(
      (1...100).map {
        CommittedWrite(
          index: $0, epoch: 1,
          change: .setCursor(topic: "t", consumer: "c", record: CursorRecord(eventID: $0, sequence: $0, updated: 0)))
      })
    #expect(cursors.writes(after: 97, limit: 10)?.count == 3, "writes without payloads are bounded too")
    #expect(cursors.writes(after: 96, limit: 10) == nil)
    var none = RecentWrites(maxBytes: 0)
    none.record([append(1, "a")])
    #expect(none.writes(after: 0, limit: 10) == nil)
  }
}
