import CLevelDB
import Foundation
import GoetheKit
import Synchronization

/// The raw LevelDB figures the storage benchmark compares with: the same operations through the C
/// API, with the store's LevelDB options (but without paranoid checks) and its key layout, each on
/// a fresh store in the same directory.
struct RawLevelDBBenchmark {
  let directory: String
  let seconds: Double

  /// Puts `batch` 100-byte values per write from `threads` threads at once (each a plain OS thread,
  /// as LevelDB's own writers are) for the measuring time; returns values per second.
  func appendRate(batch: Int, sync: Bool, threads: Int, payload: [UInt8]) throws -> Double {
    let store = try RawStore(path: freshDirectory())
    let written = Atomic<Int>(0)
    let failure = Mutex<GoetheError?>(nil)
    let finished = DispatchGroup()
    let started = ContinuousClock.now
    let deadline = started + .milliseconds(Int(seconds * 1_000))
    for _ in 0..<threads {
      finished.enter()
      Thread {
        defer { finished.leave() }
        let values = Array(repeating: payload, count: batch)
        var count = 0
        do throws(GoetheError) {
          while ContinuousClock.now < deadline {
            try store.write(values, sync: sync)
            count += batch
          }
        } catch {
          failure.withLock { $0 = error }
        }
        written.add(count, ordering: .relaxed)
      }.start()
    }
    finished.wait()
    if let error = failure.withLock({ $0 }) { throw error }
    return Double(written.load(ordering: .relaxed)) / elapsed(since: started)
  }

  /// Scans a compacted store of `records` values of `valueSize` bytes again and again for the
  /// measuring time, as the store's scan does.
  func scanRate(records: Int, valueSize: Int) throws -> Double {
    let store = try RawStore(path: freshDirectory())
    let values = Array(repeating: Array(repeating: UInt8(0x61), count: valueSize), count: 1_000)
    for _ in 0..<(records / values.count) { try store.write(values, sync: false) }
    leveldb_compact_range(store.db, nil, 0, nil, 0)
    let read = leveldb_readoptions_create()
    leveldb_readoptions_set_fill_cache(read, 0)
    defer { leveldb_readoptions_destroy(read) }
    let started = ContinuousClock.now
    let deadline = started + .milliseconds(Int(seconds * 1_000))
    var scanned = 0
    while ContinuousClock.now < deadline {
      let iterator = leveldb_create_iterator(store.db, read)
      var length = 0
      var count = 0
      leveldb_iter_seek_to_first(iterator)
      while leveldb_iter_valid(iterator) != 0 {
        _ = leveldb_iter_value(iterator, &length)
        count += 1
        leveldb_iter_next(iterator)
      }
      leveldb_iter_destroy(iterator)
      precondition(count == records)
      scanned += count
    }
    return Double(scanned) / elapsed(since: started)
  }

  private func freshDirectory() -> String {
    "\(directory)/raw-\(UUID().uuidString)"
  }
}

/// A fresh raw LevelDB store, removed when released.
///
/// Safety of `@unchecked Sendable`: LevelDB's handle is safe for concurrent use, the options are
/// only read after `init`, and ids come from an atomic counter.
private final class RawStore: @unchecked Sendable {
  let path: String
  let db: OpaquePointer
  private let options = leveldb_options_create()
  private let buffered = leveldb_writeoptions_create()
  private let synced = leveldb_writeoptions_create()
  private let lastID = Atomic<UInt64>(0)

  init(path: String) throws(GoetheError) {
    self.path = path
    leveldb_options_set_create_if_missing(options, 1)
    leveldb_options_set_write_buffer_size(options, 16 << 20)
    leveldb_writeoptions_set_sync(synced, 1)
    var error: UnsafeMutablePointer<CChar>?
    guard let db = leveldb_open(options, path, &error) else {
      defer { leveldb_free(error) }
      throw GoetheError(.storageUnusable, "cannot open \(path): \(String(cString: error!))")
    }
    self.db = db
  }

  deinit {
    leveldb_close(db)
    leveldb_writeoptions_destroy(buffered)
    leveldb_writeoptions_destroy(synced)
    leveldb_options_destroy(options)
    try? FileManager.default.removeItem(atPath: path)
  }

  /// Writes `values` under the next keys of the events' key layout: one put for a single value,
  /// otherwise one batch. Keys are built in one buffer, so that the figure is LevelDB's alone.
  func write(_ values: [[UInt8]], sync: Bool) throws(GoetheError) {
    let first = lastID.add(UInt64(values.count), ordering: .relaxed).newValue - UInt64(values.count) + 1
    let options = sync ? synced : buffered
    var error: UnsafeMutablePointer<CChar>?
    var key = KeySchema.eventKey(topic: 1, id: first)
    key.withUnsafeMutableBytes { key in
      if values.count == 1 {
        leveldb_put(db, options, key.baseAddress, key.count, values[0], values[0].count, &error)
        return
      }
      let batch = leveldb_writebatch_create()
      defer { leveldb_writebatch_destroy(batch) }
      for (offset, value) in values.enumerated() {
        key.storeBytes(of: (first + UInt64(offset)).bigEndian, toByteOffset: 5, as: UInt64.self)
        leveldb_writebatch_put(batch, key.baseAddress, key.count, value, value.count)
      }
      leveldb_write(db, options, batch, &error)
    }
    if let error {
      defer { leveldb_free(error) }
      throw GoetheError(.storageUnusable, "raw leveldb in \(path): \(String(cString: error))")
    }
  }
}

/// Seconds since `start`.
func elapsed(since start: ContinuousClock.Instant) -> Double {
  let parts = (ContinuousClock.now - start).components
  return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
}
