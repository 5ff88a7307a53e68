import Foundation
import GoetheKit
import Logging
import Synchronization
import Testing

@testable import goethe

/// Retention limits, trims and purges on a real store: what goes, what stays, and that the time
/// index, the statistics and reopening agree with the events that are left.
@Suite struct RetentionTests {
  static let second: UInt64 = 1_000_000_000

  /// Runs one round of the daemon's retention, as its background service does.
  static func enforce(_ store: any GoetheStore) async {
    var compactions = CompactionSchedule(interval: RetentionEnforcer.compactionInterval)
    await RetentionEnforcer(store: store, interval: .seconds(1), logger: Logger(label: "test")).enforce(&compactions)
  }

  /// `count` events "e1", "e2", …, one every 20 seconds, so that they span several 1-minute buckets.
  static func appendSpread(_ count: Int, to topic: String, _ store: any GoetheStore, clock: FakeClock) async throws {
    for number in 1...count {
      _ = try await store.append(payloads("e\(number)"), to: topic)
      clock.advance(by: Int64(20 * second))
    }
  }

  static func bucketTotal(_ store: any GoetheStore, _ topic: String) async throws -> UInt64 {
    try await store.bucketCounts(topic, from: 0, to: .max).reduce(0) { $0 + $1.count }
  }

  @Test func retentionByCountKeepsExactlyTheNewestEvents() async throws {
    let clock = FakeClock()
    try await withTemporaryDirectory { _, path in
      try await withStore(at: path, .testing(clock: clock)) { store in
        _ = try await store.createTopic("t", granularity: .minimum, retention: RetentionChanges(maxEvents: .set(7)))
        try await Self.appendSpread(23, to: "t", store, clock: clock)
        await Self.enforce(store)
        let events = try store.allEvents(in: "t")
        #expect(events.map(\.payloadText) == (17...23).map { "e\($0)" })
        let info = try store.topicInfo("t")
        #expect(info.eventCount == 7 && info.headSequence == 23 && info.firstEventID == events.first?.id)
        #expect(info.bytes == events.reduce(0) { $0 + UInt64($1.payload.count) })
        #expect(try await Self.bucketTotal(store, "t") == 7, "the time index counts the events left")
        let fromStart = try store.resolveStart(.time(FakeClock.epoch), in: "t")
        #expect(fromStart.fromID == events.first?.id && fromStart.info.resolution == .firstRetained)
        await Self.enforce(store)
        #expect(try store.topicInfo("t").eventCount == 7, "a second round removes nothing more")
      }
      try await withStore(at: path, .testing(clock: clock)) { store in
        let info = try store.topicInfo("t")
        #expect(info.eventCount == 7 && info.headSequence == 23 && info.retention.maxEvents == 7)
        #expect(try await Self.bucketTotal(store, "t") == 7)
        #expect(try await store.append(payloads("e24"), to: "t").firstSequence == 24)
        await Self.enforce(store)
        #expect(try store.allEvents(in: "t").map(\.payloadText) == (18...24).map { "e\($0)" })
        #expect(try await Self.bucketTotal(store, "t") == 7)
      }
    }
  }

  @Test func retentionByAgeFollowsTheClockAndKeepsTheHeadOfAnEmptiedTopic() async throws {
    let clock = FakeClock()
    try await withTemporaryDirectory { _, path in
      try await withStore(at: path, .testing(clock: clock)) { store in
        _ = try await store.createTopic(
          "t", granularity: .minimum, retention: RetentionChanges(maxAge: .set(60 * Self.second)))
        try await Self.appendSpread(6, to: "t", store, clock: clock)  // at 0, 20, …, 100 s; now 120 s
        await Self.enforce(store)
        #expect(try store.allEvents(in: "t").map(\.payloadText) == ["e4", "e5", "e6"], "older than 60 s: 0, 20, 40 s")
        clock.advance(by: Int64(600 * Self.second))
        await Self.enforce(store)
        let emptied = try store.topicInfo("t")
        #expect(
          emptied.eventCount == 0 && emptied.headSequence == 6 && emptied.firstEventID == nil && emptied.bytes == 0)
        #expect(try await Self.bucketTotal(store, "t") == 0)
      }
      try await withStore(at: path, .testing(clock: clock)) { store in
        #expect(try store.topicInfo("t").headSequence == 6, "the head survives reopening an emptied topic")
        let next = try await store.append(payloads("e7"), to: "t")
        #expect(next.firstSequence == 7)
        #expect(try store.allEvents(in: "t").map(\.payloadText) == ["e7"])
      }
    }
  }

  @Test func retentionByBytesKeepsThePayloadsThatFit() async throws {
    try await withStore { store in
      _ = try await store.createTopic("t", granularity: nil, retention: RetentionChanges(maxBytes: .set(10)))
      _ = try await store.append(payloads("aaaa", "bbbb", "cccc", "dddd", "eeee"), to: "t")
      #expect(try store.topicInfo("t").bytes == 20)
      await Self.enforce(store)
      #expect(try store.allEvents(in: "t").map(\.payloadText) == ["dddd", "eeee"])
      #expect(try store.topicInfo("t").bytes == 8)
      _ = try await store.setRetention("t", RetentionChanges(maxBytes: .set(4)))
      await Self.enforce(store)
      #expect(try store.allEvents(in: "t").map(\.payloadText) == ["eeee"])
      _ = try await store.setRetention("t", RetentionChanges(maxBytes: .remove))
      _ = try await store.append(payloads("ffff", "gggg"), to: "t")
      await Self.enforce(store)
      #expect(try store.topicInfo("t").eventCount == 3, "without limits nothing goes")
    }
  }

  @Test func newTopicsGetTheDefaultLimitsTheyDoNotSetAndASetChangesOnlyTheLimitsItNames() async throws {
    var options = StoreOptions.testing()
    options.defaultRetention = RetentionLimits(maxAge: 3_600 * Self.second, maxEvents: 10)
    try await withTemporaryDirectory { _, path in
      try await withStore(at: path, options) { store in
        let created = try await store.createTopic(
          "a", granularity: nil, retention: RetentionChanges(maxEvents: .remove))
        #expect(created.retention == RetentionLimits(maxAge: 3_600 * Self.second))
        _ = try await store.append(payloads("x"), to: "auto", createTopic: true)
        #expect(try store.topicInfo("auto").retention == options.defaultRetention)
        let changed = try await store.setRetention("auto", RetentionChanges(maxAge: .remove, maxBytes: .set(5)))
        #expect(changed.retention == RetentionLimits(maxEvents: 10, maxBytes: 5))
      }
      try await withStore(at: path) { store in
        let (a, auto) = (try store.topicInfo("a"), try store.topicInfo("auto"))
        #expect(a.retention == RetentionLimits(maxAge: 3_600 * Self.second), "limits survive reopening")
        #expect(auto.retention == RetentionLimits(maxEvents: 10, maxBytes: 5))
      }
    }
  }

  @Test func aPurgeRemovesTheEventsBeforeAPositionAndCursorsBehindItResumeAtTheFirstLeft() async throws {
    try await FiveEvents.withStore { store, _ in
      _ = try await store.setCursor(topic: "t", consumer: "behind", to: .event(FiveEvents.ids[0]))
      _ = try await store.setCursor(topic: "t", consumer: "at-cut", to: .event(FiveEvents.ids[2]))
      let cut = try #require(try await store.purgeCut("t", before: .event(FiveEvents.ids[3]), limit: 10))
      #expect(cut == TopicState.Head(id: FiveEvents.ids[2], sequence: 3))
      try await store.trim("t", through: cut)
      #expect(try store.allEvents(in: "t").map(\.payloadText) == ["4", "5"])
      let behind = try store.resolveStart(afterConsumer: "behind", in: "t")
      #expect(behind.fromID == FiveEvents.ids[3] && behind.info.resolution == .firstRetained)
      let atCut = try store.resolveStart(afterConsumer: "at-cut", in: "t")
      #expect(atCut.fromID == FiveEvents.ids[3] && atCut.info.resolution == .exact, "it missed nothing")
      #expect(try store.resolveStart(.event(FiveEvents.ids[1]), in: "t").info.resolution == .firstRetained)
      #expect(try store.resolveStart(.beginning, in: "t").info.resolution == .exact)
      #expect(try await store.purgeCut("t", before: .event(FiveEvents.ids[3]), limit: 10) == nil)
      await expectError(.conflict, mentioning: ["sequences 4 to 5"]) {
        try await store.trim("t", through: TopicState.Head(id: FiveEvents.ids[1], sequence: 2))
      }
    }
  }

  @Test func deletingATopicRemovesEveryRecordOfItAndItsNumberIsNotReused() async throws {
    try await withTemporaryDirectory { _, path in
      try await withEventStore(at: path) { store in
        _ = try await store.createTopic(
          "gone", granularity: .minimum, retention: RetentionChanges(maxEvents: .set(100)))
        _ = try await store.append(payloads("a", "b"), to: "gone")
        _ = try await store.setCursor(topic: "gone", consumer: "c", to: .end)
        _ = try await store.append(payloads("kept"), to: "other", createTopic: true)
        try await store.deleteTopic("gone")
        #expect(store.listTopics().map(\.name) == ["other"])
        #expect(try Self.keys(of: 1, in: store).isEmpty, "no event, cursor, index or retention record is left")
        await expectError(.notFound, mentioning: ["gone"]) { try await store.deleteTopic("gone") }
        await expectError(.notFound) { _ = try store.topicInfo("gone") }
      }
      try await withEventStore(at: path) { store in
        let again = try await store.createTopic("gone")
        #expect(again.eventCount == 0 && again.retention == .none)
        #expect(try await store.listCursors(topic: "gone").isEmpty)
        #expect(store.state.withLock { $0.topics["gone"]?.state.record.number } == 3)
      }
    }
  }

  @Test func recordsADeletionLeftBehindAreRemovedWhenTheStoreOpens() async throws {
    try await withTemporaryDirectory { _, path in
      try await withEventStore(at: path) { store in
        _ = try await store.append(payloads("a", "b"), to: "t", createTopic: true)
        // A deletion whose removal of the records did not happen: only the catalog entry goes.
        let batch = WriteBatch()
        batch.delete(KeySchema.topicKey("t"))
        try store.db.write(batch, sync: true)
      }
      try await withEventStore(at: path) { store in
        let left = try Self.keys(of: 1, in: store)
        #expect(left.isEmpty)
      }
    }
  }

  @Test func compactionGivesTheSpaceOfRemovedEventsBack() async throws {
    try await withTemporaryDirectory { directory, path in
      try await withStore(at: path) { store in
        var random = SystemRandomNumberGenerator()
        for _ in 0..<40 {
          let batch = (0..<100).map { _ in Data((0..<4_096).map { _ in UInt8.random(in: 0...255, using: &random) }) }
          _ = try await store.append(batch, to: "big", createTopic: true)
        }
        try await store.compact()
        let full = try Self.diskUsage(path)
        #expect(full > 10 << 20)
        let cut = try #require(try await store.purgeCut("big", before: .end, limit: 10_000))
        try await store.trim("big", through: cut)
        try await store.compact(topic: "big")
        let purged = try Self.diskUsage(path)
        #expect(purged < full / 4, "\(full) bytes before the purge, \(purged) after")
        #expect(try store.topicInfo("big").eventCount == 0)
      }
    }
  }

  @Test func aRepairKeepsTheLimitsAndNumbersTheEventsLeftFromOne() async throws {
    try await withTemporaryDirectory { _, path in
      try await withStore(at: path) { store in
        _ = try await store.createTopic("t", granularity: nil, retention: RetentionChanges(maxEvents: .set(2)))
        _ = try await store.append(payloads("a", "b", "c", "d"), to: "t")
        await Self.enforce(store)
      }
      _ = try EventStore.repair(path: path)
      try await withEventStore(at: path) { store in
        let info = try store.topicInfo("t")
        #expect(info.retention == RetentionLimits(maxEvents: 2))
        #expect(info.eventCount == 2 && info.headSequence == 2 && info.firstSequence == 1)
        #expect(try store.allEvents(in: "t").map(\.payloadText) == ["c", "d"])
        try await withEventStore { replica in
          try await CommittedWriteTests.replay(store, onto: replica)
          #expect(try CommittedWriteTests.records(replica) == CommittedWriteTests.records(store))
        }
      }
    }
  }

  @Test func aClosedStoreLeavesTheSizesOfItsTopicsForTheNextOpenOnly() async throws {
    try await withTemporaryDirectory { _, path in
      let sizes = URL(fileURLWithPath: path).appendingPathComponent(TopicSizes.fileName)
      func bytes() async throws -> UInt64 { try await withStore(at: path) { try $0.topicInfo("t").bytes } }
      try await withStore(at: path) { store in
        _ = try await store.append(payloads("aaaa", "bb"), to: "t", createTopic: true)
      }
      #expect(FileManager.default.fileExists(atPath: sizes.path))
      let index = try await withEventStore(at: path) { store in
        #expect(!FileManager.default.fileExists(atPath: sizes.path), "the open takes the file away")
        return store.lastCommitIndex
      }
      #expect(try await bytes() == 6)
      // Sizes of another commit index than the store's, as a crash after writes leaves them, are ignored.
      try Data("\(index + 1)\n1 999\n".utf8).write(to: sizes)
      #expect(try await bytes() == 6)
      // Sizes of the store's commit index are taken as they are.
      try Data("\(index)\n1 999\n".utf8).write(to: sizes)
      #expect(try await bytes() == 999)
    }
  }

  /// The keys of topic `number` in the keyspaces that hold a topic's records.
  static func keys(of number: UInt32, in store: EventStore) throws -> [[UInt8]] {
    try CommittedWriteTests.records(store).keys.filter { key in
      key.count >= 5 && KeySchema.topicNumberedPrefixes.map(\.rawValue).contains(key[0])
        && key[1..<5].elementsEqual([0, 0, 0, UInt8(number)])
    }
  }

  /// The bytes of the files in the store directory.
  static func diskUsage(_ path: String) throws -> Int {
    try FileManager.default.contentsOfDirectory(atPath: path).reduce(0) { total, name in
      let attributes = try FileManager.default.attributesOfItem(atPath: path + "/" + name)
      return total + ((attributes[.size] as? Int) ?? 0)
    }
  }
}
