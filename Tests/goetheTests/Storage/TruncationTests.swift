import Foundation
import GoetheKit
import Synchronization
import Testing

@testable import goethe

#if canImport(Glibc)
  import Glibc
#endif

/// Truncating the log undoes writes exactly: a store truncated after any write holds, byte for
/// byte, what a store that only ever got the writes up to it holds, and the writes after it then
/// apply again. A truncation puts the epoch of its last write back, so it and taking up a
/// leadership exclude each other.
@Suite(.timeLimit(.minutes(1))) struct TruncationTests {
  /// A truncation brings the kept high watermark down to where the log now ends, and the one
  /// waiting to be kept with the next write as well.
  @Test func aTruncationBringsTheKeptHighWatermarkDownToIt() async throws {
    try await withStore { store in
      _ = try await store.append(payloads("a"), to: "t", createTopic: true)
      _ = try await store.append(payloads("b"), to: "t")
      store.keep(highWatermark: 3)
      _ = try await store.append(payloads("c"), to: "t")
      #expect(try store.keptHighWatermark() == 3, "kept with the next write")
      try await store.truncate(after: 2)
      #expect(try store.keptHighWatermark() == 2)
      store.keep(highWatermark: 5)
      try await store.truncate(after: 1)
      _ = try await store.append(payloads("d"), to: "t")
      #expect(try store.keptHighWatermark() == 1)
    }
  }

  /// A request of an older leader that reaches a node just after it took up a newer epoch must not
  /// undo its writes: the older epoch would come back beneath the node's leadership.
  @Test func aStoreThatLeadsUndoesNoWrites() async throws {
    try await withEventStore { store in
      try store.lead(epoch: 3)
      _ = try await store.append(payloads("a"), to: "t", createTopic: true)
      _ = try await store.append(payloads("b"), to: "t")
      await expectError(.conflict, mentioning: ["leads epoch 3"]) { try await store.truncate(after: 1) }
      #expect(try store.allEvents(in: "t").map(\.payloadText) == ["a", "b"])
      #expect(store.epoch == 3 && store.lastCommitIndex == 2)

      store.stopLocalWrites(through: 3)
      try await store.truncate(after: 1)
      #expect(try store.allEvents(in: "t").map(\.payloadText) == ["a"], "once it follows, it truncates")
    }
  }

  /// While a truncation runs (here its write is held up in LevelDB's log), the store takes up no
  /// leadership, whose epoch the truncation would put back.
  @Test func aStoreTakesUpNoLeadershipWhileATruncationRuns() async throws {
    signal(SIGPIPE, SIG_IGN)
    try await withTemporaryDirectory { _, path in
      try await withEventStore(at: path) { store in
        try store.lead(epoch: 5)
        _ = try await store.append(payloads("a"), to: "t", createTopic: true)
        _ = try await store.append(payloads("b"), to: "t")
        store.stopLocalWrites(through: 5)
        let pipe = try FullPipe()
        defer { pipe.close() }
        try redirectLog(of: path, to: pipe.writer)
        let truncation = Task { try await store.truncate(after: 1) }
        try await eventually("the truncation is under way") { store.state.withLock { $0.truncating } }

        // The epoch it has already: taking it up writes nothing, which the held log would block.
        await expectError(.unavailable, mentioning: ["undoing writes"]) { try store.lead(epoch: 5) }
        #expect(store.state.withLock { $0.localWrites } == .closed)
        pipe.closeReader()
        _ = await truncation.result
      }
    }
  }

  /// The records, but for the stored epoch: a truncated store takes its last write's.
  private static func records(_ store: EventStore) throws -> [[UInt8]: [UInt8]] {
    try CommittedWriteTests.records(store).filter { $0.key != KeySchema.epochKey }
  }

  @Test func truncatingAfterAnyWriteLeavesWhatTheWritesUpToItMake() async throws {
    let clock = FakeClock()
    try await withEventStore(.testing(clock: clock)) { full in
      try full.lead(epoch: 4)
      try await CommittedWriteTests.writeHistory(full, clock: clock)
      let history = try await full.committedWrites(after: 0)
      #expect(history.count == 13)
      for cut in 0...UInt64(history.count) {
        try await withEventStore(.testing(clock: FakeClock(0))) { truncated in
          try await CommittedWriteTests.replay(full, onto: truncated)
          try await truncated.truncate(after: cut)
          #expect(truncated.lastCommitIndex == cut)
          #expect(truncated.epoch == (cut == 0 ? 0 : 4))
          try await withEventStore(.testing(clock: FakeClock(0))) { reference in
            for write in history.prefix(Int(cut)) { try await reference.apply(write) }
            #expect(try Self.records(truncated) == Self.records(reference), "truncated after \(cut)")
            #expect(truncated.listTopics() == reference.listTopics(), "truncated after \(cut)")
          }
          try await CommittedWriteTests.replay(full, onto: truncated)
          #expect(try Self.records(truncated) == Self.records(full), "written again after \(cut)")
        }
      }
    }
  }

  /// A topic created with limits and then undone leaves no limits behind: the topic that is given
  /// its number next (topic numbers follow on) would take them up when the store is next opened.
  @Test func undoingATopicCreatedWithLimitsUndoesItsLimits() async throws {
    try await withEventStore { store in
      _ = try await store.append(payloads("a"), to: "t", createTopic: true)
      let kept = store.lastCommitIndex
      let before = try Self.records(store)
      _ = try await store.createTopic("x", granularity: nil, retention: RetentionChanges(maxEvents: .set(1)))
      try await store.truncate(after: kept)
      let left = try Self.records(store).filter { before[$0.key] != $0.value }
      #expect(left.isEmpty, "records the undone topic left: \(left.keys.map { $0.prefix(5) })")
    }
  }

  /// A reader waiting at a truncated topic's new head waits: the head its readers know is the
  /// truncated one, not the head it had, which would make each wait return at once.
  @Test func aWaitAtATruncatedTopicsNewHeadWaits() async throws {
    try await withEventStore { store in
      let kept = try await store.append(payloads("a"), to: "t", createTopic: true)
      let index = store.lastCommitIndex
      _ = try await store.append(payloads("b"), to: "t")
      try await store.truncate(after: index)
      let number = try store.state.withLock { try $0.topic("t").record.number }
      let waiting = Task { try await store.notifier.wait(topic: number, after: kept.firstID) }
      try await eventually("the reader waits at the new head") { store.notifier.waiterCount(topic: number) == 1 }
      let appended = try await store.append(payloads("c"), to: "t")
      try await waiting.value
      #expect(appended.firstSequence == 2)
    }
  }

  @Test func aTruncatedTopicTakesNewEventsFromItsNewHead() async throws {
    try await withEventStore { store in
      _ = try await store.append(payloads("a", "b"), to: "t", createTopic: true)
      let kept = store.lastCommitIndex
      _ = try await store.append(payloads("c"), to: "t")
      try await store.truncate(after: kept)
      #expect(try store.allEvents(in: "t").map(\.payloadText) == ["a", "b"])
      let result = try await store.append(payloads("d"), to: "t")
      #expect(result.firstSequence == 3)
      #expect(try store.allEvents(in: "t").map(\.payloadText) == ["a", "b", "d"])
    }
  }
}
