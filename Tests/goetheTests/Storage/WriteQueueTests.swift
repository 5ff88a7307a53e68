import Foundation
import GoetheKit
import Synchronization
import Testing

@testable import goethe

#if canImport(Glibc)
  import Glibc
#endif

/// Writes planned while another write is in progress queue behind it; the write in progress hands
/// them on. Here the test holds the writing turn itself and plays the write in progress, so that
/// exactly the queued writes are handed on, together.
@Suite(.timeLimit(.minutes(1)))
struct WriteQueueTests {
  static let queued = 5

  /// NIO's blocking pool drops the work of a cancelled task; a write turn dropped so, under
  /// `always`, would leave every later write waiting for ever. The store is closed only when the
  /// later write went through: closing waits for the writes in progress.
  @Test(arguments: Durability.allCases)
  func aWriterCancelledBeforeItsTurnRunsStillWritesAndLaterWritesGoThrough(durability: Durability) async throws {
    try await withTemporaryDirectory { _, path in
      let store = try EventStore(path: path, options: .testing(durability))
      _ = try await store.createTopic("t")
      let cancelled = Task {
        withUnsafeCurrentTask { $0?.cancel() }
        return try await store.append(payloads("cancelled"), to: "t")
      }
      let outcome = await cancelled.result
      let taken = Atomic(false)
      let later = Task {
        defer { taken.store(true, ordering: .releasing) }
        return try await store.append(payloads("later"), to: "t")
      }
      let deadline = ContinuousClock.now + .seconds(20)
      while !taken.load(ordering: .acquiring), ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
      }
      guard taken.load(ordering: .acquiring) else {
        Issue.record("no write was taken within 20 s of a cancelled one; the store is left open, stuck")
        return
      }
      defer { store.close() }
      let stored = try await later.value
      let events = try store.allEvents(in: "t").map(\.payloadText)
      if case .success = outcome {
        #expect(events == ["cancelled", "later"])
      } else {
        #expect(events == ["later"] || events == ["cancelled", "later"])
      }
      #expect(stored.firstSequence == UInt64(events.count))
    }
  }

  @Test(arguments: Durability.allCases)
  func queuedWritesAreCommittedTogetherInPlanningOrderByTheWriteTheyAreHandedTo(durability: Durability) async throws {
    try await withEventStore(.testing(durability)) { store in
      _ = try await store.createTopic("t")
      let appends = try await queueAppends(to: store)
      #expect(try store.allEvents(in: "t").isEmpty, "nothing queued is written before it is handed on")
      #expect(try await store.describeTopic("t").headSequence == 0, "nor visible")

      store.handOnTheWritingTurn()
      let results = try await appends.value.map { try $0.get() }
      let events = try store.allEvents(in: "t")
      #expect(events.map(\.sequence) == (1...UInt64(Self.queued)).map { $0 })
      #expect(events.map(\.id) == events.map(\.id).sorted())
      #expect(Set(events.map(\.payloadText)) == Set((0..<Self.queued).map { "queued \($0)" }))
      let acknowledged = Dictionary(uniqueKeysWithValues: results.map { ($0.firstID, $0.firstSequence) })
      #expect(acknowledged == Dictionary(uniqueKeysWithValues: events.map { ($0.id, $0.sequence) }))
      #expect(try await store.describeTopic("t").headSequence == UInt64(Self.queued))
      #expect(!store.state.withLock { $0.writing }, "the writing turn ends with the queue")
      _ = try await store.append(payloads("later"), to: "t")
    }
  }

  /// Each queued write wakes the readers waiting at the head of its own topic, also when the write
  /// that carries it went to another topic. A reader left waiting hangs, so the suite has a time limit.
  @Test(arguments: Durability.allCases)
  func everyQueuedWriteWakesTheReadersOfItsTopic(durability: Durability) async throws {
    try await withEventStore(.testing(durability)) { store in
      let topics = (0..<Self.queued).map { "topic-\($0)" }
      var waiters: [Task<Void, any Error>] = []
      for topic in topics {
        _ = try await store.createTopic(topic)
        let start = try store.resolveStart(.end, in: topic)
        waiters.append(await WaitingTests.startWaiter(store, topic: start, after: start.fromID - 1))
      }
      let appends = try await queueAppends(to: store, topics: topics)

      store.handOnTheWritingTurn()
      for result in await appends.value { _ = try result.get() }
      for waiter in waiters { try await outcome(of: waiter).get() }
    }
  }

  /// LevelDB's log is swapped for /dev/full, so the handed-on write fails with ENOSPC: every write
  /// it carries fails with "disk full", the store refuses later writes (here it never finds the
  /// space to resume), and after reopening the store holds what was acknowledged before and
  /// nothing of the failed writes.
  @Test(arguments: Durability.allCases)
  func aFailedWriteFailsEveryWriteItCarriesAndStopsWrites(durability: Durability) async throws {
    var options = StoreOptions.testing(durability)
    options.freeBytesToResume = .max
    try await withTemporaryDirectory { _, path in
      try await withEventStore(at: path, options) { store in
        _ = try await store.append(payloads("before"), to: "t", createTopic: true)
        let appends = try await queueAppends(to: store)
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0, "cannot open /dev/full: errno \(errno)")
        defer { close(full) }
        try redirectLog(of: path, to: full)

        store.handOnTheWritingTurn()
        let failures = await appends.value.map { outcome in
          if case .failure(let error) = outcome { error.message } else { "acknowledged" }
        }
        #expect(failures.count == Self.queued)
        #expect(failures.allSatisfy { $0 == "disk full at \(path)" }, "\(failures)")
        for index in 0..<Self.queued {
          await expectError(.diskFull, mentioning: ["disk full at \(path)"]) {
            _ = try await store.append(payloads("refused \(index)"), to: "t")
          }
        }
        await expectError(.diskFull, mentioning: ["disk full at \(path)"]) {
          _ = try await store.setCursor(topic: "t", consumer: "c", to: .beginning)
        }
        #expect(try store.allEvents(in: "t").map(\.payloadText) == ["before"], "reads go on")
      }
      try await withEventStore(at: path, .testing(durability)) { store in
        #expect(try store.allEvents(in: "t").map(\.payloadText) == ["before"])
        _ = try await store.append(payloads("after reopening"), to: "t")
        #expect(try await store.describeTopic("t").headSequence == 2)
      }
    }
  }

  /// Writes outside the writing turn that fail stop the store's writes as well: the removal of a
  /// deleted topic's records, a truncation, the record of a new epoch. LevelDB latches no error
  /// when its log append fails, and a later write would follow the torn record.
  @Test(arguments: ["removal", "truncation", "epoch"])
  func aFailedWriteOutsideTheTurnStopsWrites(kind: String) async throws {
    var options = StoreOptions.testing(.always)
    options.freeBytesToResume = .max
    try await withTemporaryDirectory { _, path in
      try await withEventStore(at: path, options) { store in
        _ = try await store.append(payloads("a"), to: "t", createTopic: true)
        _ = try await store.append(payloads("b"), to: "t")
        let number = try store.state.withLock { try $0.topic("t").record.number }
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0, "cannot open /dev/full: errno \(errno)")
        defer { close(full) }
        try redirectLog(of: path, to: full)

        await expectError(.diskFull) {
          switch kind {
          case "removal": try await store.removeRecords(ofTopics: [number])
          case "truncation": try await store.truncate(after: 1)
          default: try store.lead(epoch: 9)
          }
        }
        #expect(store.writeRefusal?.code == .diskFull, "the store still takes writes after its \(kind) failed")
        await expectError(.diskFull) { _ = try await store.append(payloads("c"), to: "u", createTopic: true) }
      }
    }
  }

  /// The same failure, with space to resume: the store reopens LevelDB in place by itself, and
  /// writes go on from what was stored, without the failed ones.
  @Test(arguments: Durability.allCases)
  func aStoreWhoseDiskWasFullTakesWritesAgainOnceThereIsSpace(durability: Durability) async throws {
    var options = StoreOptions.testing(durability)
    options.freeBytesToResume = 0
    options.diskProbeInterval = .milliseconds(10)
    try await withTemporaryDirectory { _, path in
      try await withEventStore(at: path, options) { store in
        _ = try await store.append(payloads("before"), to: "t", createTopic: true)
        let appends = try await queueAppends(to: store)
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0, "cannot open /dev/full: errno \(errno)")
        defer { close(full) }
        try redirectLog(of: path, to: full)
        store.handOnTheWritingTurn()
        for outcome in await appends.value {
          guard case .failure(let error) = outcome else {
            Issue.record("a write to /dev/full was acknowledged")
            continue
          }
          #expect(error.code == .diskFull)
        }
        let resumed = try await Self.appendOnceWritesResume(store)
        #expect(resumed.firstSequence == 2)
        #expect(try store.allEvents(in: "t").map(\.payloadText) == ["before", "resumed"])
      }
      let stored = try await withEventStore(at: path, options) { store in try store.allEvents(in: "t") }
      #expect(stored.map(\.payloadText) == ["before", "resumed"])
    }
  }

  /// Appends once the store takes writes again, within a minute.
  static func appendOnceWritesResume(_ store: EventStore) async throws -> AppendResult {
    let deadline = ContinuousClock.now + .seconds(60)
    while true {
      do {
        return try await store.append(payloads("resumed"), to: "t")
      } catch let error as GoetheError where error.code == .diskFull && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(10))
      }
    }
  }

  /// A write blocks in LevelDB's write to its log (a pipe that is full) while more writes queue
  /// behind it; then the pipe's reader goes away and the write fails with EPIPE. The writes that
  /// queued meanwhile must not be acknowledged: they fail, and none of them is stored.
  @Test(arguments: Durability.allCases)
  func writesQueuedDuringAFailedWriteAreRefused(durability: Durability) async throws {
    signal(SIGPIPE, SIG_IGN)
    try await withTemporaryDirectory { _, path in
      try await withEventStore(at: path, .testing(durability)) { store in
        _ = try await store.append(payloads("before"), to: "t", createTopic: true)
        let pipe = try FullPipe()
        defer { pipe.close() }
        try redirectLog(of: path, to: pipe.writer)

        let thread = DedicatedThreadExecutor()
        defer { thread.stop() }
        let blocked = Task(executorPreference: thread) {
          try await store.append(payloads("blocked in the write"), to: "t")
        }
        while !store.state.withLock({ $0.writing }) { await Task.yield() }
        let appends = try await queueAppends(to: store, takingTheTurn: false)
        pipe.closeReader()

        let failure = await outcome(of: blocked)
        #expect(
          (try? failure.get()) == nil && "\(failure)".contains("Broken pipe"), "the write itself fails: \(failure)")
        let queued = await appends.value.map { outcome in
          if case .failure(let error) = outcome { error.message } else { "acknowledged" }
        }
        #expect(queued.count == Self.queued)
        #expect(queued.allSatisfy { $0.contains("stopped accepting writes") }, "\(queued)")
        #expect(try store.allEvents(in: "t").map(\.payloadText) == ["before"])
      }
      try await withEventStore(at: path, .testing(durability)) { store in
        let events = try store.allEvents(in: "t")
        #expect(events.map(\.payloadText) == ["before"], "nothing of the failed write, after reopening")
      }
    }
  }

  /// A write gets its commit index when it is planned, but counts as durable (what a leader sends
  /// its followers, and waits for them to hold) only once its turn has written it.
  @Test(arguments: Durability.allCases)
  func aQueuedWriteIsPlannedButNotDurableUntilItIsWritten(durability: Durability) async throws {
    try await withEventStore(.testing(durability)) { store in
      _ = try await store.append(payloads("before"), to: "t", createTopic: true)
      #expect(store.lastCommitIndex == 1 && store.durableCommitIndex == 1)
      let appends = try await queueAppends(to: store)
      #expect(store.lastCommitIndex == 1 + UInt64(Self.queued))
      #expect(store.durableCommitIndex == 1, "nothing queued is durable yet")
      store.handOnTheWritingTurn()
      for outcome in await appends.value { _ = try outcome.get() }
      #expect(store.durableCommitIndex == 1 + UInt64(Self.queued))
    }
  }

  /// A write that failed keeps the commit index it was planned with, but never counts as durable:
  /// no follower could ever hold it.
  @Test(arguments: Durability.allCases)
  func aFailedWriteIsNeverDurable(durability: Durability) async throws {
    signal(SIGPIPE, SIG_IGN)
    try await withTemporaryDirectory { _, path in
      try await withEventStore(at: path, .testing(durability)) { store in
        _ = try await store.append(payloads("before"), to: "t", createTopic: true)
        let pipe = try FullPipe()
        defer { pipe.close() }
        pipe.closeReader()
        try redirectLog(of: path, to: pipe.writer)
        await #expect(throws: GoetheError.self) { try await store.append(payloads("lost"), to: "t") }
        #expect(store.lastCommitIndex == 2, "the failed write keeps its index")
        #expect(store.durableCommitIndex == 1)
      }
    }
  }

  /// Starts `queued` appends, to `topics` in turn, and returns once all of them are planned and
  /// waiting; unless a write is in progress, first takes the writing turn as a write in progress would.
  private func queueAppends(
    to store: EventStore, topics: [String] = ["t"], takingTheTurn: Bool = true
  ) async throws -> Task<[Result<AppendResult, GoetheError>], Never> {
    if takingTheTurn { store.holdTheWritingTurn() }
    let appends = Task {
      await withTaskGroup(of: Result<AppendResult, GoetheError>.self) { group in
        for index in 0..<Self.queued {
          group.addTask {
            do {
              return .success(try await store.append(payloads("queued \(index)"), to: topics[index % topics.count]))
            } catch let error as GoetheError {
              return .failure(error)
            } catch {
              return .failure(GoetheError(.internalError, "\(error)"))
            }
          }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
    }
    while store.state.withLock({ $0.waiting.count }) < Self.queued { await Task.yield() }
    return appends
  }
}
