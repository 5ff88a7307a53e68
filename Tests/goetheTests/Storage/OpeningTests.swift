import Foundation
import GoetheKit
import Testing

@testable import goethe

/// Opening, refusing, reopening and repairing stores.
@Suite struct OpeningTests {
  @Test func regularFileIsNotAStoreDirectory() async throws {
    try await withTemporaryDirectory { _, path in
      #expect(FileManager.default.createFile(atPath: path, contents: Data("not a directory".utf8)))
      await expectError(.storageUnusable, mentioning: [path]) { _ = try EventStore(path: path) }
      let inside = path + "/store"
      await expectError(.storageUnusable, mentioning: [inside]) { _ = try EventStore(path: inside) }
      let contents = try String(contentsOfFile: path, encoding: .utf8)
      #expect(contents == "not a directory", "the file is left alone")
    }
  }

  @Test func missingDirectoriesAreCreated() async throws {
    try await withTemporaryDirectory { directory, _ in
      let nested = directory.appendingPathComponent("a/b/c").path
      try await withStore(at: nested) { store in
        _ = try await store.append(payloads("x"), to: "t", createTopic: true)
      }
      var isDirectory: ObjCBool = false
      #expect(FileManager.default.fileExists(atPath: nested, isDirectory: &isDirectory) && isDirectory.boolValue)
      // An existing empty directory is fine too.
      try await withStore(at: directory.path) { store in #expect(store.listTopics() == []) }
    }
  }

  @Test func storeOpenInThisProcessIsLocked() async throws {
    try await withTemporaryDirectory { _, path in
      try await withStore(at: path) { store in
        _ = try await store.append(payloads("before"), to: "t", createTopic: true)
        await expectError(.storageLocked, mentioning: [path, "in use"]) { _ = try EventStore(path: path) }
        _ = try await store.append(payloads("after"), to: "t")
        #expect(try store.allEvents(in: "t").map(\.payloadText) == ["before", "after"], "the open store still works")
      }
      let reopened = try await withStore(at: path) { store in try store.allEvents(in: "t").map(\.payloadText) }
      #expect(reopened == ["before", "after"])
    }
  }

  /// Writes `value` under `key` with LevelDB directly, bypassing the store.
  func put(_ value: [UInt8], at key: [UInt8], in path: String) throws {
    let db = try LevelDB(path: path, createIfMissing: true)
    defer { db.close() }
    let batch = WriteBatch()
    batch.put(key, value)
    try db.write(batch, sync: true)
  }

  @Test func unknownFormatVersionIsRefused() async throws {
    try await withTemporaryDirectory { _, path in
      try await withStore(at: path) { store in _ = try await store.append(payloads("x"), to: "t", createTopic: true) }
      try put([0, 0, 0, 99], at: KeySchema.formatVersionKey, in: path)
      await expectError(.corrupted, mentioning: [path, "storage format 99", "reads format \(KeySchema.formatVersion)"])
      {
        _ = try EventStore(path: path)
      }
      // The refused open released the directory: the next attempt is refused for the same reason, not locked.
      await expectError(.corrupted, mentioning: ["format 99"]) { _ = try EventStore(path: path) }

      try put([0, 99], at: KeySchema.formatVersionKey, in: path)
      await expectError(.corrupted, mentioning: ["storage format unknown"]) { _ = try EventStore(path: path) }

      // Putting the right version back makes the store usable again, data intact.
      var version: [UInt8] = []
      version.appendBigEndian(KeySchema.formatVersion)
      try put(version, at: KeySchema.formatVersionKey, in: path)
      let texts = try await withStore(at: path) { store in try store.allEvents(in: "t").map(\.payloadText) }
      #expect(texts == ["x"])
    }
  }

  @Test func foreignLevelDBIsRefusedAndLeftAlone() async throws {
    try await withTemporaryDirectory { _, path in
      try put(Array("world".utf8), at: Array("hello".utf8), in: path)
      await expectError(.corrupted, mentioning: [path, "not a goethe store"]) { _ = try EventStore(path: path) }
      let db = try LevelDB(path: path, createIfMissing: true)
      defer { db.close() }
      #expect(try db.get(Array("hello".utf8)) == Array("world".utf8))
      #expect(try db.get(KeySchema.formatVersionKey) == nil, "no format version was written into it")
    }
  }

  /// A reopen after a full disk finds the store it had, or fails: never a new store over the
  /// tables of one whose `CURRENT` went missing meanwhile.
  @Test func aReopenCreatesNoStoreWhereCurrentWentMissing() async throws {
    try await withTemporaryDirectory { _, path in
      let db = try LevelDB(path: path, createIfMissing: true)
      defer { db.close() }
      let batch = WriteBatch()
      batch.put(Array("hello".utf8), Array("world".utf8))
      try db.write(batch, sync: true)
      try FileManager.default.removeItem(atPath: path + "/CURRENT")
      #expect(throws: GoetheError.self) { try db.reopen() }
      #expect(!FileManager.default.fileExists(atPath: path + "/CURRENT"), "a new store was made")
    }
  }

  @Test func truncatedTableIsDamage() async throws {
    try await withTemporaryDirectory { _, path in
      try await LayeredStore.fill(path)
      try truncate(try LayeredStore.tables(in: path)[1], toFraction: 0.5)
      await expectError(
        .corrupted, mentioning: [path, "damaged", ".ldb: Invalid argument", "run: goethe repair --data-dir \(path)"]
      ) { _ = try EventStore(path: path) }
    }
  }

  @Test func nodeIDIsStableAcrossReopen() async throws {
    try await withTemporaryDirectory { directory, path in
      let first = try await withStore(at: path) { store in store.nodeID }
      #expect(UUID(uuidString: first) != nil, "\(first)")
      let again = try await withStore(at: path) { store in store.nodeID }
      #expect(again == first)
      let other = try await withStore(at: directory.appendingPathComponent("other").path) { store in store.nodeID }
      #expect(other != first)
    }
  }

  /// Two topics with binary payloads and a cursor; returns what a reader sees.
  static func populate(_ store: any GoetheStore, clock: FakeClock) async throws {
    _ = try await store.createTopic("bytes", granularity: .minimum)
    for index in 0..<20 {
      clock.advance(by: Int64(index % 3) * 40_000_000_000 - 10_000_000_000)
      _ = try await store.append([Data((0...255).map { UInt8(($0 + index) % 256) })], to: "bytes")
    }
    _ = try await store.append(payloads("a", "b", "c"), to: "text", createTopic: true)
    let stored = try store.allEvents(in: "bytes")
    try #require(stored.count == 20)
    _ = try await store.setCursor(topic: "bytes", consumer: "reader", to: .event(stored[7].id))
  }

  struct Snapshot: Equatable {
    var topics: [TopicInfo]
    var events: [[StoredEvent]]
    var buckets: [BucketCount]

    init(_ store: any GoetheStore) async throws {
      topics = []
      for topic in store.listTopics() { topics.append(try await store.describeTopic(topic.name)) }
      events = try topics.map { try store.allEvents(in: $0.name) }
      buckets = try await store.bucketCounts("bytes", from: 0, to: .max)
    }
  }

  @Test(arguments: Durability.allCases)
  func reopenKeepsEverything(durability: Durability) async throws {
    let clock = FakeClock()
    try await withTemporaryDirectory { _, path in
      let before = try await withStore(at: path, .testing(durability, clock: clock)) { store in
        try await Self.populate(store, clock: clock)
        return try await Snapshot(store)
      }
      #expect(before.events.map(\.count) == [20, 3])
      #expect(before.topics.first?.consumers.map(\.consumer) == ["reader"])
      let after = try await withStore(at: path, .testing(durability, clock: clock)) { store in try await Snapshot(store)
      }
      #expect(after == before)
    }
  }

  @Test(arguments: Durability.allCases)
  func repairKeepsEvents(durability: Durability) async throws {
    let clock = FakeClock()
    try await withTemporaryDirectory { _, path in
      let before = try await withStore(at: path, .testing(durability, clock: clock)) { store in
        try await Self.populate(store, clock: clock)
        return try await Snapshot(store)
      }
      let report = try EventStore.repair(path: path)
      #expect(report.topics.map(\.name) == ["bytes", "text"])
      #expect(report.topics.allSatisfy { $0.lost == 0 && !$0.nameLost })
      #expect(!report.formatVersionRestored && report.newNodeID == nil)
      let after = try await withStore(at: path, .testing(durability, clock: clock)) { store in
        let snapshot = try await Snapshot(store)
        // The repaired store takes appends where it left off.
        #expect(try await store.append(payloads("d"), to: "text").firstSequence == 4)
        return snapshot
      }
      #expect(after == before)
    }
  }

  @Test(arguments: Durability.allCases)
  func writesAfterCloseAreUnavailable(durability: Durability) async throws {
    try await withTemporaryDirectory { _, path in
      let store = try EventStore(path: path, options: .testing(durability))
      var open = true
      defer { if open { store.close() } }
      _ = try await store.append(payloads("x"), to: "t", createTopic: true)
      store.close()
      open = false
      await expectError(.unavailable, mentioning: ["closed"]) { _ = try await store.append(payloads("y"), to: "t") }
      await expectError(.unavailable, mentioning: ["closed"]) { _ = try await store.createTopic("u") }
      try await withStore(at: path) { reopened in
        let texts = try reopened.allEvents(in: "t").map(\.payloadText)
        #expect(texts == ["x"])
        #expect(reopened.listTopics().map(\.name) == ["t"])
      }
    }
  }
}
