import Foundation
import GoetheKit
import Testing

@testable import goethe

/// Appends from many tasks at once: ids stay unique and ordered, sequences have no gaps.
@Suite struct ConcurrentAppendTests {
  static let tasks = 8
  static let appendsPerTask = 200

  /// Each task appends `appendsPerTask` batches of 1 to 3 events; the clock jitters by a few
  /// nanoseconds forwards and up to a microsecond backwards on every reading, so ids collide.
  /// With one write round per writer, queued appends are handed on from writer to writer.
  @Test(arguments: Durability.allCases, [1, 16])
  func concurrentAppendsGetUniqueOrderedIdsAndGaplessSequences(durability: Durability, writeRounds: Int) async throws {
    let clock = FakeClock(seed: 42, jitter: -1_000...3)
    try await withStore(.testing(durability, clock: clock, writeRounds: writeRounds)) { store in
      _ = try await store.createTopic("t")
      let results = try await withThrowingTaskGroup(of: [AppendResult].self) { group in
        for task in 0..<Self.tasks {
          group.addTask {
            var results: [AppendResult] = []
            for index in 0..<Self.appendsPerTask {
              let size = (task + index) % 3 + 1
              let batch = (0..<size).map { Data("\(task)/\(index)/\($0)".utf8) }
              results.append(try await store.append(batch, to: "t"))
            }
            return results
          }
        }
        var all: [AppendResult] = []
        for try await results in group { all.append(contentsOf: results) }
        return all
      }

      let total = results.reduce(0) { $0 + $1.count }
      #expect(results.count == Self.tasks * Self.appendsPerTask)
      let appended = results.flatMap(\.events)
      #expect(Set(appended.map(\.id)).count == total, "ids are unique")
      #expect(appended.map(\.sequence).sorted() == (1...UInt64(total)).map { $0 }, "sequences are 1...\(total)")

      let events = try store.allEvents(in: "t")
      #expect(events.count == total)
      expectWellOrdered(events)
      // Each append's result names exactly the events stored for it, consecutively.
      let byID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
      var mismatches: [String] = []
      for result in results {
        let stored = result.events.map { byID[$0.id] }
        let texts = stored.map { $0?.payloadText }
        let firstText = texts.first.flatMap { $0 } ?? "?"
        let owner = firstText.split(separator: "/").prefix(2).joined(separator: "/")
        let expectedTexts = (0..<result.count).map { "\(owner)/\($0)" }
        if texts != expectedTexts || stored.map({ $0?.sequence }) != result.events.map(\.sequence) {
          mismatches.append("\(result): \(texts)")
        }
      }
      #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")

      let info = try await store.describeTopic("t")
      #expect(info.headSequence == UInt64(total))
      #expect(info.firstEventID == events.first?.id)
      #expect(info.lastEventID == events.last?.id)
    }
  }

  /// A reader tailing the topic while tasks append (reading from after the last event it saw and
  /// waiting when it finds nothing) sees every event exactly once, in sequence order: no event
  /// becomes visible before an earlier one.
  @Test(.timeLimit(.minutes(1)), arguments: Durability.allCases, [1, 16])
  func tailingReaderSeesEveryEventOnceInOrder(durability: Durability, writeRounds: Int) async throws {
    let clock = FakeClock(seed: 7, jitter: -1_000...3)
    try await withStore(.testing(durability, clock: clock, writeRounds: writeRounds)) { store in
      _ = try await store.createTopic("t")
      let start = try store.resolveStart(.end, in: "t")
      let total = 4 * 100
      let reader = Task {
        var sequences: [UInt64] = []
        var next = start.fromID
        while sequences.count < total {
          let events = try store.read(start, from: next, limit: 64)
          guard let last = events.last else {
            try await store.waitForEvents(start, after: next - 1)
            continue
          }
          sequences += events.map(\.sequence)
          next = last.id + 1
        }
        return sequences
      }
      try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<4 {
          group.addTask {
            for index in 0..<100 { _ = try await store.append(payloads("\(task)/\(index)"), to: "t") }
          }
        }
        try await group.waitForAll()
      }
      let seen = try await outcome(of: reader).get()
      #expect(seen == (1...UInt64(total)).map { $0 })
    }
  }

  /// Racing appends that each ask to create the same missing topic create it once.
  @Test(arguments: Durability.allCases)
  func racingCreateTopicAppendsCreateOneTopic(durability: Durability) async throws {
    try await withStore(.testing(durability)) { store in
      try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<8 {
          group.addTask { _ = try await store.append(payloads("\(task)"), to: "fresh", createTopic: true) }
        }
        try await group.waitForAll()
      }
      #expect(store.listTopics().map(\.name) == ["fresh"])
      let events = try store.allEvents(in: "fresh")
      #expect(Set(events.map(\.payloadText)) == Set((0..<8).map(String.init)))
      expectWellOrdered(events)
    }
  }
}
