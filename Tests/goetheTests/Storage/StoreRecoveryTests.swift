import Foundation
import GoetheKit
import Testing

@testable import goethe

/// Repairing damaged stores: what is readable is kept, goethe's records are rebuilt from it, and
/// every count matches the events readers get.
@Suite struct StoreRecoveryTests {
  @Test func lostFirstTableRebuildsTheMetadataAndNamesTheNamelessTopic() async throws {
    try await withTemporaryDirectory { _, path in
      try await LayeredStore.fill(path)
      let early = try await withStore(at: path) { store in try store.allEvents(in: "early") }
      try FileManager.default.removeItem(atPath: try LayeredStore.tables(in: path)[0])
      await expectError(.corrupted, mentioning: [path, "damaged", "run: goethe repair --data-dir \(path)"]) {
        _ = try EventStore(path: path)
      }

      let report = try EventStore.repair(path: path)
      #expect(report.formatVersionRestored)
      #expect(report.newNodeID != nil)
      #expect(
        report.topics == [
          .init(name: "orders", number: 2, readable: 20_001, written: 20_001, nameLost: false),
          .init(name: "recovered-1", number: 1, readable: 5_000, written: 15_000, nameLost: true),
        ])

      try await withStore(at: path) { store in
        #expect(store.nodeID == report.newNodeID)
        let recovered = try await expectConsistent(store, "recovered-1")
        #expect(recovered.map(\.id) == early[10_000...].map(\.id))
        #expect(recovered.map(\.payload) == early[10_000...].map(\.payload))
        let info = try await store.describeTopic("recovered-1")
        #expect(info.granularity == .hour)
        #expect(info.created == recovered.first?.id)
        // The cursor was on an event of the lost table: it resumes at the first readable event.
        #expect(info.consumers.map(\.eventID) == [early[4_999].id])
        #expect(info.consumers.map(\.lag) == [5_000])
        #expect(try await expectConsistent(store, "orders").count == LayeredStore.orders)

        let appended = try await store.append(payloads("after"), to: "recovered-1")
        #expect(appended.firstSequence == 5_001)
        #expect(appended.firstID > (try #require(early.last)).id)
        try await expectConsistent(store, "recovered-1")
      }

      // A second repair finds nothing more to rebuild.
      let again = try EventStore.repair(path: path)
      #expect(!again.formatVersionRestored && again.newNodeID == nil)
      #expect(again.topics.map(\.lost) == [0, 0])
      #expect(again.topics.map(\.readable) == [20_001, 5_001])
    }
  }

  @Test func truncatedTableLosesItsEventsAndTheCountsFollow() async throws {
    try await withTemporaryDirectory { _, path in
      try await LayeredStore.fill(path)
      let orders = try await withStore(at: path) { store in try store.allEvents(in: "orders") }
      try truncate(try LayeredStore.tables(in: path)[1], toFraction: 0.5)

      let report = try EventStore.repair(path: path)
      // The table held `orders`' catalog entry and `early`'s newest events, which no surviving
      // record knew of: those count as lost only where a later record remembers them.
      #expect(
        report.topics == [
          .init(name: "early", number: 1, readable: 10_000, written: 10_000, nameLost: false),
          .init(name: "recovered-2", number: 2, readable: 10_001, written: 20_001, nameLost: true),
        ])
      try await withStore(at: path) { store in
        #expect(try await expectConsistent(store, "early").count == 10_000)
        let recovered = try await expectConsistent(store, "recovered-2")
        #expect(recovered.map(\.id) == orders[10_000...].map(\.id))
        // The cursor on `orders`' event 15,000 still is, now as the 5,000th readable event.
        #expect(try store.cursor(topic: "recovered-2", consumer: "reader").sequence == 5_000)
      }
    }
  }

  @Test func scribbledLogLosesItsDamagedRecordsAndTheCountsFollow() async throws {
    try await withTemporaryDirectory { _, path in
      let clock = FakeClock()
      let written = try await withStore(at: path, .testing(clock: clock)) { store in
        for batch in 0..<300 {
          clock.advance(by: 7_000_000_000)
          _ = try await store.append((0..<10).map { Data("event \(batch).\($0)".utf8) }, to: "t", createTopic: true)
        }
        let events = try store.allEvents(in: "t")
        _ = try await store.commitCursor(topic: "t", consumer: "reader", eventID: events[1_500].id)
        return events
      }
      let log = try FileManager.default.contentsOfDirectory(atPath: path).first { $0.hasSuffix(".log") }
      let logPath = path + "/" + (try #require(log))
      let size = try FileManager.default.attributesOfItem(atPath: logPath)[.size] as? UInt64 ?? 0
      try scribble(logPath, at: size / 2)
      await expectError(.corrupted, mentioning: [path, "damaged", "run: goethe repair --data-dir \(path)"]) {
        _ = try EventStore(path: path)
      }

      let report = try EventStore.repair(path: path)
      let topic = try #require(report.topics.first)
      #expect(topic.written == 3_000)
      #expect(topic.lost > 0 && topic.readable + topic.lost == 3_000, "\(topic)")
      try await withStore(at: path) { store in
        let events = try await expectConsistent(store, "t")
        #expect(UInt64(events.count) == topic.readable)
        let original = Dictionary(uniqueKeysWithValues: written.map { ($0.id, $0.payload) })
        let altered = events.filter { original[$0.id] != $0.payload }.map(\.id)
        #expect(altered.isEmpty, "events that differ from what was written: \(altered)")
        #expect(try await store.append(payloads("after"), to: "t").firstSequence == topic.readable + 1)
      }
    }
  }

  @Test func goetheRecordsWithoutTheirFormatVersionAreDamagedAndRepairable() async throws {
    try await withTemporaryDirectory { _, path in
      let nodeID = try await withStore(at: path) { store in
        _ = try await store.append(payloads("a", "b"), to: "t", createTopic: true)
        return store.nodeID
      }
      let db = try LevelDB(path: path, createIfMissing: false)
      let batch = WriteBatch()
      batch.delete(KeySchema.formatVersionKey)
      try db.write(batch, sync: true)
      db.close()
      await expectError(.corrupted, mentioning: [path, "format version", "run: goethe repair"]) {
        _ = try EventStore(path: path)
      }

      let report = try EventStore.repair(path: path)
      #expect(report.formatVersionRestored && report.newNodeID == nil)
      try await withStore(at: path) { store in
        let events = try await expectConsistent(store, "t")
        #expect(store.nodeID == nodeID)
        #expect(events.map(\.payloadText) == ["a", "b"])
      }
    }
  }

  @Test func placeholderNameLeavesATopicOfThatNameAlone() async throws {
    try await withTemporaryDirectory { _, path in
      try await withStore(at: path) { store in
        _ = try await store.append(payloads("a"), to: "lost", createTopic: true)
        _ = try await store.append(payloads("b"), to: "recovered-1", createTopic: true)
      }
      let db = try LevelDB(path: path, createIfMissing: false)
      let batch = WriteBatch()
      batch.delete(KeySchema.topicKey("lost"))
      try db.write(batch, sync: true)
      db.close()

      let report = try EventStore.repair(path: path)
      #expect(report.topics.map(\.name) == ["recovered-1", "recovered-1-2"])
      #expect(report.topics.map(\.number) == [2, 1])
      let texts = try await withStore(at: path) { store in
        [
          try await expectConsistent(store, "recovered-1").map(\.payloadText),
          try await expectConsistent(store, "recovered-1-2").map(\.payloadText),
        ]
      }
      #expect(texts == [["b"], ["a"]])
    }
  }

  @Test func foreignStoreIsNotRebuilt() async throws {
    try await withTemporaryDirectory { _, path in
      let db = try LevelDB(path: path, createIfMissing: true)
      let batch = WriteBatch()
      batch.put(Array("hello".utf8), Array("world".utf8))
      try db.write(batch, sync: true)
      db.close()
      await expectError(.corrupted, mentioning: [path, "not a goethe store"]) { try EventStore.repair(path: path) }
      let reopened = try LevelDB(path: path, createIfMissing: false)
      defer { reopened.close() }
      #expect(try reopened.get(Array("hello".utf8)) == Array("world".utf8))
      #expect(try reopened.get(KeySchema.formatVersionKey) == nil, "nothing was written into it")
    }
  }
}
