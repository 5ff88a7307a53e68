import Foundation
import GoetheKit
import Testing

@testable import goethe

/// Truncating the log undoes writes exactly: a store truncated after any write holds, byte for
/// byte, what a store that only ever got the writes up to it holds, and the writes after it then
/// apply again.
@Suite struct TruncationTests {
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
