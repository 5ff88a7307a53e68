import Foundation
import GoetheKit
import Testing

@testable import goethe

// Stores laid out in several LevelDB tables, ways to damage their files, and the checks that a
// store's counts agree with its readable events.

/// A store written in three rounds, each closed so that reopening moves its log into a table of
/// its own, which gives three tables:
///
/// 1. the format version, the node id, topic `early` (1m buckets) and its events 1...10,000;
/// 2. topic `orders` (1h buckets) and its events 1...10,000, `early`'s events 10,001...15,000;
/// 3. `orders`' events 10,001...20,001, and cursor `reader` on `early`'s event 5,000 (in table 1)
///    and on `orders`' event 15,000.
///
/// The clock moves 10 s per batch of 100 events, so the events fill many time-index buckets.
enum LayeredStore {
  static let early = (total: 15_000, inFirstTable: 10_000)
  static let orders = 20_001

  static func fill(_ path: String) async throws {
    let clock = FakeClock()
    func append(_ count: Int, to topic: String, _ store: any GoetheStore) async throws {
      for start in stride(from: 0, to: count, by: 100) {
        clock.advance(by: 10_000_000_000)
        let batch = (start..<min(count, start + 100)).map { Data("\(topic) \($0)".utf8) }
        _ = try await store.append(batch, to: topic)
      }
    }
    try await withStore(at: path, .testing(clock: clock)) { store in
      _ = try await store.createTopic("early", granularity: .minimum)
      try await append(early.inFirstTable, to: "early", store)
    }
    try await withStore(at: path, .testing(clock: clock)) { store in
      _ = try await store.createTopic("orders", granularity: .hour)
      try await append(10_000, to: "orders", store)
      try await append(early.total - early.inFirstTable, to: "early", store)
    }
    try await withStore(at: path, .testing(clock: clock)) { store in
      try await append(orders - 10_000, to: "orders", store)
      let earlyEvents = try store.allEvents(in: "early")
      _ = try await store.commitCursor(topic: "early", consumer: "reader", eventID: earlyEvents[4_999].id)
      let ordersEvents = try store.allEvents(in: "orders")
      _ = try await store.commitCursor(topic: "orders", consumer: "reader", eventID: ordersEvents[14_999].id)
    }
    // Opening moves the last round's log into a table too.
    try await withStore(at: path) { _ in }
    let tables = try tables(in: path)
    try #require(tables.count == 3, "\(tables)")
  }

  /// The paths of the store's tables, oldest first.
  static func tables(in path: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".ldb") }.sorted()
      .map { path + "/" + $0 }
  }
}

/// Every file of the directory but LevelDB's diagnostic log (which every open attempt rotates), by name.
func storeFiles(in path: String) throws -> [String: Data] {
  var files: [String: Data] = [:]
  for name in try FileManager.default.contentsOfDirectory(atPath: path) where name != "LOG" && name != "LOG.old" {
    files[name] = try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
  }
  return files
}

/// Overwrites `count` bytes of the file at `path` from `offset` with `0x58`.
func scribble(_ path: String, at offset: UInt64, count: Int = 64) throws {
  let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
  defer { try? handle.close() }
  try handle.seek(toOffset: offset)
  try handle.write(contentsOf: Data(repeating: 0x58, count: count))
}

func truncate(_ path: String, toFraction fraction: Double) throws {
  let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64 ?? 0
  let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
  defer { try? handle.close() }
  try handle.truncate(atOffset: UInt64(Double(size) * fraction))
}

/// Checks that what the store says about `topic` matches the events a reader gets: the head
/// sequence is the number of events, numbered 1...count in id order, the head is the last event,
/// the time index counts every event once in the bucket of its id, and each cursor's sequence is
/// the number of events up to its event. Returns the events.
@discardableResult
func expectConsistent(
  _ store: any GoetheStore, _ topic: String, sourceLocation: SourceLocation = #_sourceLocation
) async throws -> [StoredEvent] {
  let events = try store.allEvents(in: topic)
  let info = try await store.describeTopic(topic)
  #expect(info.headSequence == UInt64(events.count), sourceLocation: sourceLocation)
  #expect(info.lastEventID == events.last?.id, sourceLocation: sourceLocation)
  #expect(info.firstEventID == events.first?.id, sourceLocation: sourceLocation)
  expectWellOrdered(events, sourceLocation: sourceLocation)

  let granularity = info.granularity
  var expected: [BucketCount] = []
  for event in events {
    let start = granularity.bucketStart(of: event.id)
    if expected.last?.start == start {
      expected[expected.count - 1].count += 1
      expected[expected.count - 1].lastEventID = event.id
    } else {
      expected.append(BucketCount(start: start, count: 1, lastEventID: event.id))
    }
  }
  #expect(try await store.bucketCounts(topic, from: 0, to: .max) == expected, sourceLocation: sourceLocation)

  for cursor in info.consumers {
    let upTo = events.filter { $0.id <= cursor.eventID }
    #expect(cursor.sequence == UInt64(upTo.count), "cursor \(cursor.consumer)", sourceLocation: sourceLocation)
    #expect(
      cursor.lag == UInt64(events.count - upTo.count), "cursor \(cursor.consumer)", sourceLocation: sourceLocation)
    let resume = try store.resolveStart(afterConsumer: cursor.consumer, in: topic)
    #expect(resume.info.eventID == events.first { $0.id > cursor.eventID }?.id, sourceLocation: sourceLocation)
  }
  return events
}
