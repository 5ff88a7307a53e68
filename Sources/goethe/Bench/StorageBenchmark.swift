import CLevelDB
import Foundation
import GoetheKit
import Synchronization

/// Measures the storage engine against raw LevelDB on the same disk: append throughput for 100-byte
/// events (single and in batches of 100, both durability modes, 1, 8 and 64 appenders) and
/// full-topic scans, as events per second.
struct StorageBenchmark {
  let directory: String
  let seconds: Double
  let report: (String) -> Void

  struct Figure {
    var name: String
    var eventsPerSecond: Double
    var baseline: Double?
  }

  static let payload = Data(repeating: 0x61, count: 100)

  func run() async throws -> [Figure] {
    let raw = try rawBaseline()
    var figures: [Figure] = []
    func add(_ name: String, _ rate: Double, baseline: Double?) {
      let figure = Figure(name: name, eventsPerSecond: rate, baseline: baseline)
      figures.append(figure)
      report(Self.format(figure))
    }
    add("raw leveldb put, no sync", raw.put, baseline: nil)
    add("raw leveldb batch of 100, no sync", raw.batch, baseline: nil)
    add("raw leveldb put, sync", raw.syncedPut, baseline: nil)
    add("raw leveldb scan, compacted", raw.scan, baseline: nil)
    for durability in [Durability.never, .always] {
      let sync = durability == .always
      for appenders in [1, 8] {
        add(
          "goethe append, sync \(durability), \(appenders) appender(s)",
          try await appendRate(durability: durability, batch: 1, appenders: appenders),
          baseline: sync ? raw.syncedPut : raw.put)
        add(
          "goethe append batch of 100, sync \(durability), \(appenders) appender(s)",
          try await appendRate(durability: durability, batch: 100, appenders: appenders),
          baseline: sync ? nil : raw.batch)
      }
    }
    add(
      "goethe append, sync always, 64 appenders", try await appendRate(durability: .always, batch: 1, appenders: 64),
      baseline: raw.syncedPut)
    let scans = try await scanRates()
    add("goethe scan, compacted (payloads borrowed)", scans.borrowed, baseline: raw.scan)
    add("goethe read, compacted (payloads copied)", scans.copied, baseline: raw.scan)
    return figures
  }

  static func format(_ figure: Figure) -> String {
    let rate = figure.eventsPerSecond >= 1e6
      ? String(format: "%8.2f M/s", figure.eventsPerSecond / 1e6) : String(format: "%8.1f k/s", figure.eventsPerSecond / 1e3)
    let relative = figure.baseline.map { String(format: "  (%.0f%% of raw)", figure.eventsPerSecond / $0 * 100) } ?? ""
    return figure.name.padding(toLength: 58, withPad: " ", startingAt: 0) + rate + relative
  }

  // MARK: Goethe

  private func appendRate(durability: Durability, batch: Int, appenders: Int) async throws -> Double {
    let path = freshDirectory("append")
    let store = try EventStore(path: path, options: StoreOptions(durability: durability))
    defer {
      store.close()
      try? FileManager.default.removeItem(atPath: path)
    }
    _ = try await store.createTopic("bench")
    let payloads = Array(repeating: Self.payload, count: batch)
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
    let started = ContinuousClock.now
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<appenders {
        group.addTask {
          var events = 0
          while ContinuousClock.now < deadline {
            _ = try await store.append(payloads, to: "bench")
            events += batch
          }
          return events
        }
      }
      return try await group.reduce(0, +)
    }
    return Double(total) / elapsed(since: started)
  }

  private func scanRates() async throws -> (borrowed: Double, copied: Double) {
    let path = freshDirectory("scan")
    let store = try EventStore(path: path, options: StoreOptions(durability: .never))
    defer {
      store.close()
      try? FileManager.default.removeItem(atPath: path)
    }
    let count = 1_000_000
    let batch = Array(repeating: Self.payload, count: 1_000)
    for _ in 0..<(count / batch.count) { _ = try await store.append(batch, to: "bench", createTopic: true) }
    store.db.compact()
    let start = try store.resolveStart(.beginning, in: "bench")

    var started = ContinuousClock.now
    var bytes = 0
    let visited = try store.scan(start.number, from: 0) { _, _, payload in
      bytes &+= payload.count
      return true
    }
    let borrowed = Double(visited) / elapsed(since: started)

    started = ContinuousClock.now
    var read = 0
    var next = start.fromID
    while true {
      let events = try store.read(start, from: next, limit: 4_096)
      guard let last = events.last else { break }
      read += events.count
      next = last.id + 1
    }
    precondition(visited == count && read == count && bytes == count * Self.payload.count)
    return (borrowed, Double(read) / elapsed(since: started))
  }

  // MARK: Raw LevelDB

  private func rawBaseline() throws -> (put: Double, batch: Double, syncedPut: Double, scan: Double) {
    let path = freshDirectory("raw")
    let options = leveldb_options_create()
    leveldb_options_set_create_if_missing(options, 1)
    leveldb_options_set_write_buffer_size(options, 16 << 20)
    var error: UnsafeMutablePointer<CChar>?
    guard let db = leveldb_open(options, path, &error) else {
      defer { leveldb_free(error) }
      throw GoetheError(.storageUnusable, "cannot open \(path): \(String(cString: error!))")
    }
    let buffered = leveldb_writeoptions_create()
    let synced = leveldb_writeoptions_create()
    leveldb_writeoptions_set_sync(synced, 1)
    defer {
      leveldb_close(db)
      leveldb_writeoptions_destroy(buffered)
      leveldb_writeoptions_destroy(synced)
      leveldb_options_destroy(options)
      try? FileManager.default.removeItem(atPath: path)
    }
    let value = Array(Self.payload)
    var id: UInt64 = 0
    func key() -> [UInt8] {
      id += 1
      return KeySchema.eventKey(topic: 1, id: id)
    }
    func timed(_ body: () -> Int) -> Double {
      let started = ContinuousClock.now
      let deadline = started + .milliseconds(Int(seconds * 1_000))
      var count = 0
      while ContinuousClock.now < deadline { count += body() }
      return Double(count) / elapsed(since: started)
    }
    let put = timed {
      for _ in 0..<1_000 {
        let key = key()
        leveldb_put(db, buffered, key, key.count, value, value.count, &error)
      }
      return 1_000
    }
    let batch = timed {
      let batch = leveldb_writebatch_create()
      defer { leveldb_writebatch_destroy(batch) }
      for _ in 0..<100 {
        let key = key()
        leveldb_writebatch_put(batch, key, key.count, value, value.count)
      }
      leveldb_write(db, buffered, batch, &error)
      return 100
    }
    let syncedPut = timed {
      let key = key()
      leveldb_put(db, synced, key, key.count, value, value.count, &error)
      return 1
    }
    leveldb_compact_range(db, nil, 0, nil, 0)
    let read = leveldb_readoptions_create()
    leveldb_readoptions_set_fill_cache(read, 0)
    defer { leveldb_readoptions_destroy(read) }
    let started = ContinuousClock.now
    let iterator = leveldb_create_iterator(db, read)
    var scanned = 0
    var length = 0
    leveldb_iter_seek_to_first(iterator)
    while leveldb_iter_valid(iterator) != 0 {
      _ = leveldb_iter_value(iterator, &length)
      scanned += 1
      leveldb_iter_next(iterator)
    }
    leveldb_iter_destroy(iterator)
    let scan = Double(scanned) / elapsed(since: started)
    if let error { throw GoetheError(.storageUnusable, String(cString: error)) }
    return (put, batch, syncedPut, scan)
  }

  private func freshDirectory(_ name: String) -> String {
    "\(directory)/\(name)-\(UUID().uuidString)"
  }

  private func elapsed(since start: ContinuousClock.Instant) -> Double {
    let parts = (ContinuousClock.now - start).components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
  }
}
