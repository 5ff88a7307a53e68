import Foundation
import GoetheKit
import Synchronization
import Testing

@testable import goethe

/// Closing the store never pulls the LevelDB handle from under a read: `close()` waits for the
/// reads in progress, and reads that begin afterwards fail instead of touching a closed handle.
@Suite(.timeLimit(.minutes(1)))
struct ClosingUnderReadTests {
  @Test func closeWaitsForAScanInProgress() async throws {
    try await withTemporaryDirectory { _, path in
      let store = try EventStore(path: path, options: .testing())
      _ = try await store.append(payloads("1", "2", "3"), to: "t", createTopic: true)
      let start = try store.resolveStart(.beginning, in: "t")
      let closeReturned = Flag()
      let closing = Flag()
      var visited = 0
      var returnedUnderTheScan = false
      try store.scan(start, from: 0, through: .max, limit: .max) { _, _, _ in
        visited += 1
        guard visited == 1 else { return true }
        Thread.detachNewThread {
          closing.set()
          store.close()
          closeReturned.set()
        }
        while !closing.isSet { sched_yield() }
        // The close has begun; for as long as this scan holds its iterator it must not finish.
        let until = ContinuousClock.now + .milliseconds(100)
        while ContinuousClock.now < until, !returnedUnderTheScan {
          returnedUnderTheScan = closeReturned.isSet
          sched_yield()
        }
        return true
      }
      #expect(!returnedUnderTheScan, "close() returned under a running scan")
      #expect(visited == 3, "the scan reads on to its end")
      while !closeReturned.isSet { await Task.yield() }
      await expectError(.unavailable, mentioning: ["closed"]) {
        _ = try store.read(start, from: 0, through: .max, limit: 10, maxBytes: .max)
      }
    }
  }
}

/// A flag threads set and read.
private final class Flag: Sendable {
  private let value = Atomic<Bool>(false)
  func set() { value.store(true, ordering: .sequentiallyConsistent) }
  var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}
