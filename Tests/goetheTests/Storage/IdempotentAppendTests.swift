import Foundation
import GoetheKit
import Synchronization
import Testing

@testable import goethe

/// Stamped appends: a batch sent again under its stamp is answered as it was stored, and stored
/// once, also after a restart, a truncation, or on a follower that becomes leader.
@Suite(.timeLimit(.minutes(1))) struct IdempotentAppendTests {
  private static let stamp = ProducerStamp(producer: "producer-1", sequence: 1)

  private static func appendStamped(
    _ store: any GoetheStore, _ texts: [String], _ stamp: ProducerStamp = stamp, to topic: String = "t"
  ) async throws -> AppendResult {
    try await store.append(
      texts.map { Data($0.utf8) }, to: topic, createTopic: true, producer: ProducerRun(stamp, count: texts.count))
  }

  @Test func aBatchSentAgainIsAnsweredAsStoredAndStoredOnce() async throws {
    try await withEventStore { store in
      let first = try await Self.appendStamped(store, ["a", "b"])
      let error = await expectError(.alreadyExists, mentioning: ["batch 1 of producer producer-1"]) {
        _ = try await Self.appendStamped(store, ["a", "b"])
      }
      #expect(error?.cause is StoredAlready)
      let again = try #require(try await store.earlierAppend(Self.stamp, to: "t", count: 2))
      #expect(again.firstID == first.firstID && again.firstSequence == first.firstSequence && again.count == 2)
      #expect(again.duplicate && !first.duplicate)
      #expect(try store.allEvents(in: "t").map(\.payloadText) == ["a", "b"])
      let next = try await Self.appendStamped(store, ["c"], ProducerStamp(producer: "producer-1", sequence: 2))
      #expect(next.firstSequence == 3)
      #expect(try await store.earlierAppend(ProducerStamp(producer: "other", sequence: 1), to: "t", count: 2) == nil)
    }
  }

  /// A resend of ``stamp`` waiting for its batch, planned after one event in topic "t" at the
  /// commit index after the durable one and not yet on the disk: the resend, the batch as
  /// planned, and the topic's number.
  private static func waitingResend(
    _ store: EventStore
  ) async throws -> (resend: Task<AppendResult?, any Error>, planned: ProducerWindow.Entry, topic: UInt32) {
    let first = try await store.append(payloads("a"), to: "t", createTopic: true)
    let topic = try #require(store.state.withLock { $0.topics["t"]?.state.record.number })
    let planned = ProducerWindow.Entry(
      topic: "t", firstID: first.firstID + 1, firstSequence: 2, count: 1,
      commitIndex: store.state.withLock { $0.durableCommitIndex } + 1)
    store.state.withLock { $0.producers.remember(Self.stamp, planned) }
    let resend = Task { try await store.earlierAppend(Self.stamp, to: "t", count: 1) }
    try await eventually("the resend waits for its batch") { store.notifier.waiterCount(topic: topic) == 1 }
    return (resend, planned, topic)
  }

  /// A resend that waits for its batch to become durable, when the write fails and the store
  /// reloads its state from the disk (as it does once a full disk has room again): the ids and
  /// sequence numbers planned for the batch go to a later append, and the resend must not be
  /// answered with them.
  @Test func aResendWaitingOnAWriteThatIsLostIsAppendedAgainNotAnsweredWithItsIDs() async throws {
    try await withEventStore { store in
      let (resend, _, _) = try await Self.waitingResend(store)
      // The write failed: the state is read again from the disk, and another append takes the
      // sequence number the batch was planned with.
      _ = try store.reloadState { _ in }
      let other = try await store.append(payloads("b"), to: "t")
      #expect(other.firstSequence == 2)
      #expect(try await resend.value == nil)
    }
  }

  @Test func aResendWaitingOnAWriteThatIsLostIsWokenByTheReloadAlone() async throws {
    try await withEventStore { store in
      let (resend, _, topic) = try await Self.waitingResend(store)
      // The write failed and nothing else is appended to the topic: the reload itself wakes it.
      _ = try store.reloadState { _ in }
      try await eventually("the resend is woken") { store.notifier.waiterCount(topic: topic) == 0 }
      #expect(try await resend.value == nil)
    }
  }

  /// The window may forget a batch as soon as its write is durable, before the resend waiting
  /// for it looks again: the resend is answered from what it found, not appended a second time.
  @Test func aResendWhoseBatchIsForgottenOnceDurableIsAnsweredAsStored() async throws {
    try await withEventStore { store in
      let (resend, planned, topic) = try await Self.waitingResend(store)
      // The write became durable, and a later append pushed the batch out of the window, before
      // the resend was woken.
      store.state.withLock { state in
        state.durableCommitIndex = planned.commitIndex
        state.producers.forget(after: planned.commitIndex - 1)
      }
      store.notifier.publish(topic: topic, head: planned.firstID)
      let answer = try #require(try await resend.value)
      #expect(answer.firstID == planned.firstID && answer.duplicate)
    }
  }

  /// A reload gives the commit indexes of writes that failed to later writes: a resend whose
  /// batch is gone since a reload is appended again, even if the index it was planned at is
  /// durable by then (another write's), and even before the reload has woken it.
  @Test func aResendIsNotAnsweredFromAnIndexAReloadGaveToAnotherWrite() async throws {
    try await withEventStore { store in
      let (resend, planned, topic) = try await Self.waitingResend(store)
      store.state.withLock { state in
        state.producers.forget(after: planned.commitIndex - 1)
        state.reloads += 1
        state.durableCommitIndex = planned.commitIndex
      }
      store.notifier.publish(topic: topic, head: planned.firstID)
      #expect(try await resend.value == nil)
    }
  }

  /// A resend that waits for a batch whose write fails, when the store then stops taking writes
  /// (a failure other than a full disk), fails with it rather than waiting for ever.
  @Test func aResendWaitingOnAWriteThatFailsFailsWithIt() async throws {
    signal(SIGPIPE, SIG_IGN)
    try await withTemporaryDirectory { _, path in
      try await withEventStore(at: path, .testing(.never)) { store in
        _ = try await store.append(payloads("before"), to: "t", createTopic: true)
        let topic = try #require(store.state.withLock { $0.topics["t"]?.state.record.number })
        let pipe = try FullPipe()
        defer { pipe.close() }
        try redirectLog(of: path, to: pipe.writer)
        let thread = DedicatedThreadExecutor()
        defer { thread.stop() }
        let blocked = Task(executorPreference: thread) { try await Self.appendStamped(store, ["blocked"]) }
        while !store.state.withLock({ $0.writing }) { await Task.yield() }
        let resend = Task { try await store.earlierAppend(Self.stamp, to: "t", count: 1) }
        try await eventually("the resend waits for its batch") { store.notifier.waiterCount(topic: topic) == 1 }
        pipe.closeReader()
        await #expect(throws: (any Error).self) { try await blocked.value }
        await expectError(.unavailable, mentioning: ["stopped accepting writes"]) { _ = try await resend.value }
      }
    }
  }

  @Test func aStampReusedForAnotherBatchIsRefused() async throws {
    try await withEventStore { store in
      _ = try await Self.appendStamped(store, ["a", "b"])
      await expectError(.conflict, mentioning: ["2 events in topic t, not 1 in t"]) {
        _ = try await store.earlierAppend(Self.stamp, to: "t", count: 1)
      }
      await expectError(.conflict, mentioning: ["not 2 in u"]) {
        _ = try await store.earlierAppend(Self.stamp, to: "u", count: 2)
      }
      await expectError(.invalidArgument, mentioning: ["hold 3 events, not 2"]) {
        _ = try await store.append(
          payloads("x", "y"), to: "t", producer: ProducerRun(producer: "p", firstSequence: 1, counts: [3]))
      }
      await expectError(.invalidArgument, mentioning: ["producer id needs 1 to 128 bytes"]) {
        _ = try await store.append(
          payloads("x"), to: "t", producer: ProducerRun(producer: "", firstSequence: 1, counts: [1]))
      }
      #expect(try store.allEvents(in: "t").count == 2)
    }
  }

  @Test func theWindowIsRebuiltFromTheCommitLogWhenTheStoreOpens() async throws {
    try await withTemporaryDirectory { _, path in
      let stored = try await withStore(at: path) { store in
        _ = try await store.append(payloads("unstamped"), to: "t", createTopic: true)
        return try await store.append(
          payloads("a", "b", "c"), to: "t", producer: ProducerRun(producer: "p", firstSequence: 10, counts: [1, 2]))
      }
      try await withStore(at: path) { store in
        let first = try #require(
          try await store.earlierAppend(ProducerStamp(producer: "p", sequence: 10), to: "t", count: 1))
        let second = try #require(
          try await store.earlierAppend(ProducerStamp(producer: "p", sequence: 11), to: "t", count: 2))
        #expect(first.firstID == stored.firstID && first.firstSequence == 2)
        #expect(second.firstID == stored.firstID + 1 && second.firstSequence == 3)
      }
    }
  }

  @Test func onlyBatchesWithinTheSpanOfTheNewestAppendAreRebuilt() async throws {
    let clock = FakeClock()
    var options = StoreOptions.testing(clock: clock)
    options.deduplicationSpan = 60 * 1_000_000_000
    try await withTemporaryDirectory { _, path in
      try await withStore(at: path, options) { store in
        _ = try await Self.appendStamped(store, ["old"])
        clock.advance(by: 61 * 1_000_000_000)
        _ = try await store.append(payloads("later"), to: "t")
      }
      try await withStore(at: path, options) { store in
        let earlier = try await store.earlierAppend(Self.stamp, to: "t", count: 1)
        #expect(earlier == nil)
      }
    }
  }

  @Test func truncatedBatchesAreForgottenAndMayBeAppendedAgain() async throws {
    try await withEventStore { store in
      _ = try await store.append(payloads("kept"), to: "t", createTopic: true)
      let kept = store.lastCommitIndex
      _ = try await Self.appendStamped(store, ["undone"])
      try await store.truncate(after: kept)
      #expect(try await store.earlierAppend(Self.stamp, to: "t", count: 1) == nil)
      let again = try await Self.appendStamped(store, ["undone"])
      #expect(!again.duplicate && again.firstSequence == 2)
    }
  }

  @Test func aFollowerThatAppliedTheWritesAnswersAsTheLeaderWould() async throws {
    try await withEventStore { leader in
      _ = try await leader.append(payloads("x"), to: "t", createTopic: true)
      let stored = try await leader.append(
        payloads("a", "b", "c"), to: "t", producer: ProducerRun(producer: "p", firstSequence: 3, counts: [2, 1]))
      try await withEventStore { follower in
        try await CommittedWriteTests.replay(leader, onto: follower)
        let second = try #require(
          try await follower.earlierAppend(ProducerStamp(producer: "p", sequence: 4), to: "t", count: 1))
        #expect(second.firstID == stored.firstID + 2 && second.firstSequence == 4 && second.duplicate)
        await expectError(.alreadyExists) {
          _ = try await follower.append(
            payloads("a", "b"), to: "t", producer: ProducerRun(producer: "p", firstSequence: 3, counts: [2]))
        }
      }
    }
  }

  @Test func aRefusedBatchOfAppliedWritesLeavesNoBatchesBehind() async throws {
    try await withEventStore { leader in
      _ = try await Self.appendStamped(leader, ["a"])
      var writes = try await leader.committedWrites(after: 0)
      try await withEventStore { follower in
        // The second write does not follow the first: the batch is refused as a whole.
        writes.append(
          CommittedWrite(
            index: 5, epoch: 0,
            change: .createTopic(name: "u", record: TopicRecord(number: 9, granularity: .hour, created: 1))))
        await expectError(.conflict) { try await follower.apply(writes) }
        let earlier = try await follower.earlierAppend(Self.stamp, to: "t", count: 1)
        #expect(earlier == nil)
      }
    }
  }

  @Test func stampedAppendsRoundTripThroughTheCommitLog() throws {
    let created = TopicRecord(number: 3, granularity: .minimum, created: 42, retention: RetentionLimits(maxEvents: 5))
    let run = ProducerRun(producer: "é-producer", firstSequence: .max - 1, counts: [1, 70_000, 2])
    for record in [
      CommitLogRecord.append(topic: 3, created: nil, firstID: 9, firstSequence: 1, count: 70_003, producer: run),
      .append(topic: 3, created: created, firstID: 9, firstSequence: 1, count: 70_003, producer: run),
      .append(topic: 3, created: created, firstID: 9, firstSequence: 1, count: 1, producer: nil),
    ] {
      let decoded = try record.encoded(epoch: 7).withUnsafeBytes { try CommitLogRecord.decode($0) }
      #expect(decoded.epoch == 7)
      #expect(decoded.record == record)
    }
  }
}
