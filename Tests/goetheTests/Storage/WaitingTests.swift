import Foundation
import GoetheKit
import Synchronization
import Testing

@testable import goethe

/// A flag a waiting task sets once its wait is over.
final class ResumeFlag: Sendable {
  private let value = Mutex(false)
  func set() { value.withLock { $0 = true } }
  var isSet: Bool { value.withLock { $0 } }
}

/// Readers waiting at the head of a topic: woken by appends to it, and only by those; ended by
/// cancellation and by closing the store. A broken wake-up hangs, so the suite has a time limit.
@Suite(.timeLimit(.minutes(1)))
struct WaitingTests {
  /// Starts a task that waits for events of `topic` after `after` and then sets `resumed`.
  /// Returns once the task has started (it signals just before waiting) and has had many chances
  /// to run on; no sleeping.
  static func startWaiter(
    _ store: any GoetheStore, topic: ReadStart, after: UInt64, resumed: ResumeFlag = ResumeFlag()
  ) async -> Task<Void, any Error> {
    let (started, signal) = AsyncStream<Void>.makeStream()
    let task = Task {
      signal.finish()
      try await store.waitForEvents(topic, after: after)
      resumed.set()
    }
    for await _ in started {}
    await letOthersRun()
    return task
  }

  static func letOthersRun() async {
    for _ in 0..<200 { await Task.yield() }
  }

  func expectCancelled(_ result: Result<Void, any Error>, sourceLocation: SourceLocation = #_sourceLocation) {
    switch result {
    case .success: Issue.record("the wait ended normally", sourceLocation: sourceLocation)
    case .failure(let error): #expect(error is CancellationError, "\(error)", sourceLocation: sourceLocation)
    }
  }

  func expectUnavailable(_ result: Result<Void, any Error>, sourceLocation: SourceLocation = #_sourceLocation) {
    switch result {
    case .success: Issue.record("the wait ended normally", sourceLocation: sourceLocation)
    case .failure(let error):
      #expect((error as? GoetheError)?.code == .unavailable, "\(error)", sourceLocation: sourceLocation)
    }
  }

  @Test(arguments: Durability.allCases)
  func waiterIsResumedByAnAppendAndNotBefore(durability: Durability) async throws {
    let clock = FakeClock()
    try await withStore(.testing(durability, clock: clock)) { store in
      _ = try await store.append(payloads("1", "2"), to: "t", createTopic: true)
      _ = try await store.createTopic("other")
      let start = try store.resolveStart(.end, in: "t")
      let resumed = ResumeFlag()
      let waiter = await Self.startWaiter(store, topic: start, after: start.fromID - 1, resumed: resumed)
      defer { waiter.cancel() }
      #expect(!resumed.isSet, "nothing was appended yet")

      _ = try await store.appendText("elsewhere", to: "other")
      await Self.letOthersRun()
      #expect(!resumed.isSet, "an append to another topic does not wake it")

      clock.set(FakeClock.epoch - 1_000)  // the clock went back: the new id is still after the head
      let id = try await store.appendText("3", to: "t")
      try await outcome(of: waiter).get()
      #expect(resumed.isSet)
      #expect(try store.read(start, from: start.fromID, limit: 10).map(\.id) == [id])
    }
  }

  @Test func waiterOnAnEmptyTopicIsResumedByItsFirstEvent() async throws {
    try await withStore { store in
      _ = try await store.createTopic("t")
      let start = try store.resolveStart(.end, in: "t")
      let resumed = ResumeFlag()
      let waiter = await Self.startWaiter(store, topic: start, after: start.fromID - 1, resumed: resumed)
      defer { waiter.cancel() }
      #expect(!resumed.isSet)
      _ = try await store.appendText("first", to: "t")
      try await outcome(of: waiter).get()
      #expect(resumed.isSet)
    }
  }

  @Test func waitReturnsAtOnceWhenNewerEventsAreStored() async throws {
    try await withTemporaryDirectory { _, path in
      let (head, id) = try await withStore(at: path) { store in
        _ = try await store.append(payloads("1", "2"), to: "t", createTopic: true)
        let start = try store.resolveStart(.end, in: "t")
        try await store.waitForEvents(start, after: start.fromID - 2)
        try await store.waitForEvents(start, after: 0)
        return (start, start.fromID - 1)
      }
      // After reopening, the stored heads are known without any append.
      try await withStore(at: path) { store in
        try await store.waitForEvents(head, after: id - 1)
        try await store.waitForEvents(head, after: 0)
      }
    }
  }

  @Test func waitersAreWokenOnlyByEventsAfterTheirPosition() async throws {
    let clock = FakeClock()
    try await withStore(.testing(clock: clock)) { store in
      let head = try await store.append(payloads("1"), to: "t", createTopic: true).firstID
      let topic = try store.waitable("t")
      let hour: UInt64 = 3_600_000_000_000
      let near = (0..<3).map { _ in ResumeFlag() }
      var nearWaiters: [Task<Void, any Error>] = []
      for flag in near { nearWaiters.append(await Self.startWaiter(store, topic: topic, after: head, resumed: flag)) }
      let far = ResumeFlag()
      let farWaiter = await Self.startWaiter(store, topic: topic, after: head + hour, resumed: far)
      defer {
        for waiter in nearWaiters { waiter.cancel() }
        farWaiter.cancel()
      }

      clock.set(head + 1_000)
      _ = try await store.appendText("2", to: "t")
      for waiter in nearWaiters { try await outcome(of: waiter).get() }
      #expect(near.allSatisfy { $0.isSet }, "one append wakes every waiter it concerns")
      await Self.letOthersRun()
      #expect(!far.isSet, "an event before the waiter's position does not wake it")

      clock.set(head + 2 * hour)
      _ = try await store.appendText("3", to: "t")
      try await outcome(of: farWaiter).get()
      #expect(far.isSet)
    }
  }

  @Test func cancellingTheWaitingTaskEndsItWithCancellationError() async throws {
    try await withStore { store in
      _ = try await store.append(payloads("1"), to: "t", createTopic: true)
      let start = try store.resolveStart(.end, in: "t")
      let resumed = ResumeFlag()
      let waiter = await Self.startWaiter(store, topic: start, after: start.fromID - 1, resumed: resumed)
      waiter.cancel()
      expectCancelled(await outcome(of: waiter))
      #expect(!resumed.isSet)

      // A task cancelled before it starts to wait does not wait either.
      let early = Task {
        withUnsafeCurrentTask { $0?.cancel() }
        try await store.waitForEvents(start, after: start.fromID - 1)
      }
      expectCancelled(await outcome(of: early))

      // The cancelled waiters are gone: appending resumes nobody twice and waiting still works.
      _ = try await store.appendText("2", to: "t")
      try await store.waitForEvents(start, after: start.fromID - 1)
    }
  }

  @Test(arguments: Durability.allCases)
  func closingTheStoreEndsWaitersWithUnavailable(durability: Durability) async throws {
    try await withTemporaryDirectory { _, path in
      let store = try EventStore(path: path, options: .testing(durability))
      var open = true
      defer { if open { store.close() } }
      _ = try await store.append(payloads("1"), to: "a", createTopic: true)
      _ = try await store.createTopic("b")
      let a = try store.resolveStart(.end, in: "a")
      let b = try store.resolveStart(.end, in: "b")
      let waiters = [
        await Self.startWaiter(store, topic: a, after: a.fromID - 1),
        await Self.startWaiter(store, topic: b, after: b.fromID - 1),
      ]
      store.close()
      open = false
      for waiter in waiters { expectUnavailable(await outcome(of: waiter)) }
      do {
        try await store.waitForEvents(a, after: a.fromID - 1)
        expectUnavailable(.success(()))
      } catch {
        expectUnavailable(.failure(error))
      }
    }
  }
}
