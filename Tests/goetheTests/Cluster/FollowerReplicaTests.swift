import Foundation
import GoetheKit
import Logging
import SwiftProtobuf
import Synchronization
import Testing

@testable import goethe

/// A follower applies its leader's writes in order, refuses a deposed leader, and truncates a log
/// that diverged from its leader's: real stores, the requests as a leader sends them.
@Suite struct FollowerReplicaTests {
  static func request(
    epoch: UInt64, after previous: UInt64, of leader: any GoetheStore, limit: Int = 100, highWatermark: UInt64 = 0
  ) async throws -> Io_Typusomega_Goethe_Replication_ReplicateRequest {
    let writes = try await leader.committedWrites(after: previous, limit: limit)
    let previousEpoch = try await previous == 0 ? 0 : leader.committedWrites(after: previous - 1, limit: 1)[0].epoch
    return .with {
      $0.leaderID = "leader"
      $0.epoch = epoch
      $0.previousIndex = previous
      $0.previousEpoch = previousEpoch
      $0.writes = writes.map(\.message)
      $0.highWatermark = highWatermark
    }
  }

  /// The epochs a replica reports as newer than any it saw.
  private final class Reported: Sendable {
    let epochs = Mutex<[UInt64]>([])
  }

  private static func replica(_ store: any GoetheStore, reported: Reported = Reported()) throws -> FollowerReplica {
    try FollowerReplica(store: store, logger: quietLogger) { epoch in reported.epochs.withLock { $0.append(epoch) } }
  }

  @Test func aFollowerAppliesItsLeadersWritesInOrderAndSaysHowFarItIs() async throws {
    let clock = FakeClock()
    try await withStore(.testing(clock: clock)) { leader in
      try leader.lead(epoch: 3)
      try await CommittedWriteTests.writeHistory(leader, clock: clock)
      try await withStore { follower in
        let replica = try Self.replica(follower)
        let ahead = try await replica.replicate(Self.request(epoch: 3, after: 4, of: leader))
        #expect(ahead.outcome == .behind && ahead.lastIndex == 0)
        #expect(try await replica.replicate(Self.request(epoch: 3, after: 0, of: leader, limit: 4)).outcome == .applied)
        let rest = try await replica.replicate(Self.request(epoch: 3, after: 4, of: leader))
        #expect(rest.outcome == .applied && rest.lastIndex == leader.lastCommitIndex)
        #expect(try await follower.committedWrites(after: 0) == leader.committedWrites(after: 0))
      }
    }
  }

  @Test func aLeaderOfAnOlderEpochIsRefusedAndChangesNothing() async throws {
    try await withStore { old in
      try old.lead(epoch: 4)
      _ = try await old.append(payloads("stale"), to: "t", createTopic: true)
      try await withStore { follower in
        let reported = Reported()
        let replica = try Self.replica(follower, reported: reported)
        replica.noteEpoch(5)
        let refused = try await replica.replicate(Self.request(epoch: 4, after: 0, of: old))
        #expect(refused.outcome == .staleEpoch)
        #expect(refused.epoch == 5)
        #expect(follower.lastCommitIndex == 0, "nothing applied")
        #expect(try await replica.replicate(Self.request(epoch: 6, after: 0, of: old)).outcome == .applied)
        #expect(reported.epochs.withLock { $0 } == [6], "a higher epoch is reported, to depose this node if it leads")
      }
    }
  }

  @Test func aDivergedLogIsTruncatedToWhereItAgreesWithTheLeaders() async throws {
    try await withStore { leader in
      try leader.lead(epoch: 1)
      _ = try await leader.append(payloads("a", "b"), to: "t", createTopic: true)
      _ = try await leader.setCursor(topic: "t", consumer: "c", to: .beginning)
      try await withStore { follower in
        let replica = try Self.replica(follower)
        #expect(try await replica.replicate(Self.request(epoch: 1, after: 0, of: leader)).outcome == .applied)
        // The follower led under epoch 2 for a while and wrote what never reached the others.
        try follower.lead(epoch: 2)
        _ = try await follower.append(payloads("lost"), to: "t")
        _ = try await follower.append(payloads("x"), to: "other", createTopic: true)
        try leader.lead(epoch: 3)
        _ = try await leader.append(payloads("c"), to: "t")
        _ = try await leader.setCursor(topic: "t", consumer: "c", to: .end)

        let diverged = try await replica.replicate(Self.request(epoch: 3, after: 3, of: leader))
        #expect(diverged.outcome == .diverged, "write 3 is the follower's own, not the leader's")
        #expect(follower.lastCommitIndex == 4, "nothing changes until the leader finds where the two agree")
        let probe = try await replica.replicate(Self.request(epoch: 3, after: 2, of: leader))
        #expect(probe.outcome == .applied, "the two agree up to write 2")
        #expect(try await follower.committedWrites(after: 0) == leader.committedWrites(after: 0))
        #expect(follower.listTopics().map(\.name) == ["t"])
        #expect(try follower.cursor(topic: "t", consumer: "c") == leader.cursor(topic: "t", consumer: "c"))

        let heartbeat = try await replica.replicate(Self.request(epoch: 3, after: leader.lastCommitIndex, of: leader))
        #expect(heartbeat.outcome == .applied && heartbeat.lastIndex == leader.lastCommitIndex)
      }
    }
  }

  @Test func aFollowerWithWritesPastTheLeadersLogDropsThem() async throws {
    try await withStore { leader in
      try leader.lead(epoch: 1)
      _ = try await leader.append(payloads("a"), to: "t", createTopic: true)
      try await withStore { follower in
        let replica = try Self.replica(follower)
        _ = try await replica.replicate(Self.request(epoch: 1, after: 0, of: leader))
        try follower.lead(epoch: 2)
        _ = try await follower.append(payloads("unacknowledged"), to: "t")
        let heartbeat = try await replica.replicate(Self.request(epoch: 3, after: 1, of: leader))
        #expect(heartbeat.outcome == .applied && heartbeat.lastIndex == 1)
        #expect(try follower.allEvents(in: "t").map(\.payloadText) == ["a"])
      }
    }
  }

  /// A leader that probes too far back names an earlier write than where the two logs part: the
  /// follower undoes only what follows the last write they share, and so need not undo a change
  /// of retention, which it cannot.
  @Test func aProbeTooFarBackUndoesOnlyWhatTheLogsDoNotShare() async throws {
    try await withStore { leader in
      try leader.lead(epoch: 1)
      _ = try await leader.append(payloads("a"), to: "t", createTopic: true)
      _ = try await leader.append(payloads("b"), to: "t")
      _ = try await leader.setRetention("t", RetentionChanges(maxEvents: .set(100)))
      try await withStore { follower in
        let replica = try Self.replica(follower)
        #expect(try await replica.replicate(Self.request(epoch: 1, after: 0, of: leader)).outcome == .applied)
        try follower.lead(epoch: 2)
        _ = try await follower.append(payloads("unacknowledged"), to: "t")
        try leader.lead(epoch: 3)
        _ = try await leader.append(payloads("c"), to: "t")
        let answer = try await replica.replicate(Self.request(epoch: 3, after: 1, of: leader))
        #expect(answer.outcome == .applied && answer.lastIndex == 4)
        #expect(try follower.allEvents(in: "t").map(\.payloadText) == ["a", "b", "c"])
      }
    }
  }

  /// The leader's high watermark counts only as far as the follower's log was checked against the
  /// leader's: a request that probes further back, and sends fewer writes than the follower holds,
  /// reveals none of the follower's own writes past them, which the leader's log may not hold.
  @Test func theHighWatermarkCountsOnlyUpToTheWritesChecked() async throws {
    try await withStore { leader in
      try leader.lead(epoch: 1)
      _ = try await leader.append(payloads("a"), to: "t", createTopic: true)
      _ = try await leader.append(payloads("b"), to: "t")
      let second = try #require(leader.topicInfo("t").lastEventID)
      try await withStore { follower in
        let replica = try Self.replica(follower)
        _ = try await replica.replicate(Self.request(epoch: 1, after: 0, of: leader, highWatermark: 2))
        // The follower led epoch 2 for a while, and stepped down.
        try follower.lead(epoch: 2)
        replica.revealAll()
        _ = try await follower.append(payloads("unacknowledged"), to: "t")
        follower.stopLocalWrites(through: 2)
        replica.stepDown(after: 2)
        await replica.hideUnconfirmed()
        #expect(replica.visibleThrough("t") == second)

        try leader.lead(epoch: 3)
        _ = try await leader.append(payloads("c"), to: "t")
        _ = try await leader.append(payloads("d"), to: "t")
        let probe = try await replica.replicate(
          Self.request(epoch: 3, after: 1, of: leader, limit: 1, highWatermark: 4))
        #expect(probe.outcome == .applied)
        #expect(replica.visibleThrough("t") == second, "a write the leader's log does not hold was shown")
        _ = try await replica.replicate(Self.request(epoch: 3, after: 2, of: leader, highWatermark: 4))
        #expect(replica.visibleThrough("t") == .max)
        #expect(try follower.allEvents(in: "t").map(\.payloadText) == ["a", "b", "c", "d"])
      }
    }
  }

  /// A deposed leader truncated back into its own epoch must not take a write of its own that was
  /// on its way to the store: committed under that epoch, it would name the leader's copy of the
  /// write it replaced, and the two logs would never be found to diverge.
  @Test func aDeposedLeaderTakesNoWriteOfItsOwnOnceItFollows() async throws {
    try await withStore { deposed in
      try deposed.lead(epoch: 3)
      _ = try await deposed.append(payloads("a"), to: "t", createTopic: true)
      try await withStore { leader in
        #expect(
          try await Self.replica(leader).replicate(Self.request(epoch: 3, after: 0, of: deposed)).outcome == .applied)
        _ = try await deposed.append(payloads("unacknowledged"), to: "t")
        try leader.lead(epoch: 4)
        let replica = try Self.replica(deposed)
        let heartbeat = try await replica.replicate(Self.request(epoch: 4, after: 1, of: leader))
        #expect(heartbeat.outcome == .applied && heartbeat.lastIndex == 1)
        #expect(deposed.epoch == 3, "truncated back to the last write it shares with the leader")
        await expectError(.unavailable, mentioning: ["does not lead"]) {
          _ = try await deposed.append(payloads("late"), to: "t")
        }
        #expect(try deposed.allEvents(in: "t").map(\.payloadText) == ["a"])
      }
    }
  }

  @Test func eventsPastTheHighWatermarkStayHiddenUntilItPassesThem() async throws {
    try await withStore { leader in
      _ = try await leader.append(payloads("a"), to: "t", createTopic: true)
      let first = try #require(leader.topicInfo("t").lastEventID)
      _ = try await leader.append(payloads("b"), to: "t")
      _ = try await leader.append(payloads("x"), to: "new", createTopic: true)
      try await withStore { follower in
        let replica = try Self.replica(follower)
        _ = try await replica.replicate(Self.request(epoch: 0, after: 0, of: leader, highWatermark: 1))
        #expect(replica.visibleThrough("t") == first, "write 2 is past the high watermark")
        #expect(replica.visibleThrough("new") == 0, "a topic whose creation is past it shows no events")
        _ = try await replica.replicate(Self.request(epoch: 0, after: 3, of: leader, highWatermark: 3))
        #expect(replica.visibleThrough("t") == .max)
        #expect(replica.visibleThrough("new") == .max)
      }
    }
  }

  /// The high watermark is kept in the store with the writes: a follower that restarts shows what
  /// lay below the last one it kept, and hides the rest until a leader tells it more.
  @Test func aRestartedFollowerHidesWhatLiesPastTheLastHighWatermarkItKnew() async throws {
    try await withStore { leader in
      _ = try await leader.append(payloads("a"), to: "t", createTopic: true)
      let first = try #require(leader.topicInfo("t").lastEventID)
      _ = try await leader.append(payloads("b"), to: "t")
      let second = try #require(leader.topicInfo("t").lastEventID)
      _ = try await leader.append(payloads("x"), to: "new", createTopic: true)
      try await withTemporaryDirectory { _, path in
        try await withStore(at: path) { follower in
          let replica = try Self.replica(follower)
          _ = try await replica.replicate(Self.request(epoch: 0, after: 0, of: leader, highWatermark: 1))
        }
        try await withStore(at: path) { follower in
          #expect(try follower.keptHighWatermark() == 1)
          let replica = try Self.replica(follower)
          #expect(replica.visibleThrough("t") == first, "write 2 was past the last high watermark")
          #expect(replica.visibleThrough("new") == 0, "so was the topic's creation")
          _ = try await leader.append(payloads("c"), to: "t")
          _ = try await replica.replicate(Self.request(epoch: 0, after: 3, of: leader, highWatermark: 3))
          #expect(replica.visibleThrough("t") == second)
          #expect(replica.visibleThrough("new") == .max)
          // A new leader's first requests say 0 until its followers answer: no lower value is kept.
          _ = try await leader.append(payloads("d"), to: "t")
          _ = try await replica.replicate(Self.request(epoch: 0, after: 4, of: leader, highWatermark: 0))
        }
        try await withStore(at: path) { follower in
          let replica = try Self.replica(follower)
          #expect(replica.visibleThrough("new") == .max, "the new high watermark was kept")
          #expect(replica.visibleThrough("t") == second, "writes 4 and 5 are past it")
        }
      }
    }
  }

  /// A node that kept no high watermark (it never heard one) hides every event it holds.
  @Test func aFollowerThatKeptNoHighWatermarkHidesEveryEvent() async throws {
    try await withTemporaryDirectory { _, path in
      try await withStore(at: path) { store in
        _ = try await store.append(payloads("a"), to: "t", createTopic: true)
        _ = try await store.append(payloads("b"), to: "t")
      }
      try await withStore(at: path) { store in
        let replica = try Self.replica(store)
        #expect(replica.visibleThrough("t") == 0)
        #expect(replica.visibleThrough("other") == 0, "nor a topic a later write of the log may create")
      }
    }
  }

  /// A leader that steps down hides again what lies past its high watermark, and what its writes
  /// still in flight then add, a topic they create included.
  @Test func aLeaderThatStepsDownHidesWhatLiesPastItsHighWatermarkAndWhatWasInFlight() async throws {
    try await withEventStore { store in
      try store.lead(epoch: 1)
      _ = try await store.append(payloads("a"), to: "t", createTopic: true)
      let first = try #require(store.topicInfo("t").lastEventID)
      _ = try await store.append(payloads("b"), to: "t")
      let replica = try Self.replica(store)
      replica.revealAll()
      #expect(replica.visibleThrough("t") == .max)

      store.holdTheWritingTurn()
      let inFlight = Task { try await store.append(payloads("in flight"), to: "t") }
      let creating = Task { try await store.append(payloads("in flight"), to: "elsewhere", createTopic: true) }
      try await eventually("both writes are planned") { store.lastCommitIndex == 4 }
      store.stopLocalWrites(through: 1)
      replica.stepDown(after: 1)
      #expect(replica.visibleThrough("t") == first, "an event past the high watermark was shown at once")
      let hiding = Task { await replica.hideUnconfirmed() }
      store.handOnTheWritingTurn()
      _ = try await (inFlight.value, creating.value)
      await hiding.value
      #expect(replica.visibleThrough("t") == first, "an event past the high watermark was shown")
      #expect(replica.visibleThrough("elsewhere") == 0, "a topic a write in flight created was shown")
    }
  }
}
