import CLevelDB
import Foundation
import GoetheKit
import Synchronization

/// The single LevelDB handle of a store.
///
/// Safety of `@unchecked Sendable`: LevelDB documents `DB` as safe for concurrent use from many
/// threads without external locking, and the option objects are created in `init`, never mutated
/// afterwards and only read by LevelDB. The handle is closed once, by `close()`, which waits until
/// nothing uses it: every read, write and live iterator counts as a use (see ``beginUse()``), and
/// a use that begins after `close()` fails instead of touching a closed handle. ``reopen()``
/// replaces the C handle the same way: it waits until nothing uses the old one, and uses that
/// begin meanwhile wait for the new one; `db` is only written then, while no use can read it.
final class LevelDB: @unchecked Sendable {
  let path: String
  private var db: OpaquePointer?
  /// Why the last ``reopen()`` failed, which every use reports until one succeeds.
  private var reopenFailure: GoetheError?
  private let reopening = Atomic<Bool>(false)
  /// The reads, writes and iterators in progress, and whether `close()` was called: a use counts
  /// itself in, then checks for closing; `close()` marks closing, then waits for the count to
  /// reach zero. Both orders are sequentially consistent, so either the use sees the close and
  /// backs out, or the close sees the use and waits for it.
  private let uses = Atomic<Int>(0)
  private let closing = Atomic<Bool>(false)
  private let options: OpaquePointer
  private let readOptions: OpaquePointer
  private let scanOptions: OpaquePointer
  private let syncWrite: OpaquePointer
  private let bufferedWrite: OpaquePointer

  /// Opens the store at `path` with paranoid checks; with `createIfMissing`, a directory without
  /// a store gets a new one. LevelDB takes a directory without `CURRENT` for one without a store
  /// and deletes the tables it then finds, so only pass `true` for a directory without LevelDB
  /// files (see ``DataDirectory``).
  init(path: String, createIfMissing: Bool) throws(GoetheError) {
    let options = leveldb_options_create()!
    leveldb_options_set_create_if_missing(options, createIfMissing ? 1 : 0)
    leveldb_options_set_paranoid_checks(options, 1)
    leveldb_options_set_write_buffer_size(options, 16 << 20)
    let opened: OpaquePointer
    do {
      opened = try Self.open(options, path)
    } catch {
      leveldb_options_destroy(options)
      throw error
    }
    // A reopen (after a full disk) finds the store this opened or nothing: never a new one, which
    // LevelDB would make over tables it then deletes, if `CURRENT` had gone meanwhile.
    leveldb_options_set_create_if_missing(options, 0)
    self.path = path
    self.options = options
    db = opened
    // Reads check block checksums, so that a damaged block is an error rather than garbage events.
    readOptions = leveldb_readoptions_create()
    leveldb_readoptions_set_verify_checksums(readOptions, 1)
    scanOptions = leveldb_readoptions_create()
    leveldb_readoptions_set_verify_checksums(scanOptions, 1)
    leveldb_readoptions_set_fill_cache(scanOptions, 0)
    syncWrite = leveldb_writeoptions_create()
    leveldb_writeoptions_set_sync(syncWrite, 1)
    bufferedWrite = leveldb_writeoptions_create()
  }

  private static func open(_ options: OpaquePointer, _ path: String) throws(GoetheError) -> OpaquePointer {
    do {
      return try call { leveldb_open(options, path, $0) }!
    } catch {
      throw LevelDBStatus.error(for: error.message, path: path)
    }
  }

  /// Closes the store and opens it again in place, once every use in progress has ended; uses
  /// that begin meanwhile wait. It drops what LevelDB keeps of a failed write: the error it
  /// latched, and the log whose last record the failure may have torn (recovery drops a torn last
  /// record, and the next writes go to a new log). If opening fails, every use fails with that
  /// error until a later reopen succeeds.
  func reopen() throws(GoetheError) {
    reopening.store(true, ordering: .sequentiallyConsistent)
    defer { reopening.store(false, ordering: .sequentiallyConsistent) }
    while uses.load(ordering: .sequentiallyConsistent) > 0 { usleep(100) }
    if let db { leveldb_close(db) }
    db = nil
    do {
      db = try Self.open(options, path)
      reopenFailure = nil
    } catch {
      reopenFailure = error
      throw error
    }
  }

  /// Whether ``close()`` was called.
  var isClosed: Bool { closing.load(ordering: .sequentiallyConsistent) }

  /// Releases the handle and its lock on the directory, once every use in progress has ended;
  /// later uses fail with ``GoetheError/Code/unavailable``.
  func close() {
    closing.store(true, ordering: .sequentiallyConsistent)
    // Uses are single reads and writes, and iterators that readers drop after each batch: the wait
    // is short, and only happens if a reader is still running at shutdown.
    while uses.load(ordering: .sequentiallyConsistent) > 0 || reopening.load(ordering: .sequentiallyConsistent) {
      usleep(100)
    }
    if let db { leveldb_close(db) }
    leveldb_options_destroy(options)
    leveldb_readoptions_destroy(readOptions)
    leveldb_readoptions_destroy(scanOptions)
    leveldb_writeoptions_destroy(syncWrite)
    leveldb_writeoptions_destroy(bufferedWrite)
  }

  /// Counts a use of the handle in; fails once `close()` was called. Each use ends with ``endUse()``.
  fileprivate func beginUse() throws(GoetheError) {
    while true {
      uses.add(1, ordering: .sequentiallyConsistent)
      guard !closing.load(ordering: .sequentiallyConsistent) else {
        endUse()
        throw GoetheError(.unavailable, "the store at \(path) is closed")
      }
      guard reopening.load(ordering: .sequentiallyConsistent) else { break }
      // A reopen is in progress: it takes as long as writing LevelDB's memory table out.
      endUse()
      usleep(100)
    }
    if let reopenFailure {
      endUse()
      throw reopenFailure
    }
  }

  fileprivate func endUse() {
    uses.subtract(1, ordering: .sequentiallyConsistent)
  }

  func get(_ key: [UInt8]) throws(GoetheError) -> [UInt8]? {
    try beginUse()
    defer { endUse() }
    var length = 0
    let value: UnsafeMutablePointer<CChar>?
    do {
      value = try Self.call { leveldb_get(db, readOptions, key, key.count, &length, $0) }
    } catch {
      throw LevelDBStatus.error(for: error.message, path: path)
    }
    guard let value else { return nil }
    defer { leveldb_free(value) }
    return Array(UnsafeRawBufferPointer(start: value, count: length))
  }

  /// Applies a batch atomically; with `sync` it returns after the log is fsynced.
  func write(_ batch: WriteBatch, sync: Bool) throws(GoetheError) {
    try beginUse()
    defer { endUse() }
    do {
      try Self.call { leveldb_write(db, sync ? syncWrite : bufferedWrite, batch.handle, $0) }
    } catch {
      throw LevelDBStatus.error(for: error.message, path: path)
    }
  }

  /// A new iterator, which counts as a use of the handle until it is released; `bulk` keeps a
  /// long scan from evicting the block cache.
  func makeIterator(bulk: Bool = false) throws(GoetheError) -> LevelDBIterator {
    try beginUse()
    return LevelDBIterator(leveldb_create_iterator(db!, bulk ? scanOptions : readOptions), of: self)
  }

  /// Compacts the whole key range, as LevelDB would over time (used before measuring scans).
  func compact() throws(GoetheError) {
    try beginUse()
    defer { endUse() }
    leveldb_compact_range(db, nil, 0, nil, 0)
  }

  /// Compacts the keys in `start..<end`, which drops what was deleted there and gives its space
  /// back to the file system.
  func compact(from start: [UInt8], to end: [UInt8]) throws(GoetheError) {
    try beginUse()
    defer { endUse() }
    leveldb_compact_range(db, start, start.count, end, end.count)
  }

  /// Calls a LevelDB function that reports failure through `errptr`, freeing the message; for
  /// this type and its extensions.
  static func call<T>(
    _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T
  ) throws(LevelDBStatus) -> T {
    var error: UnsafeMutablePointer<CChar>?
    let result = body(&error)
    if let error {
      defer { leveldb_free(error) }
      throw LevelDBStatus(message: String(cString: error))
    }
    return result
  }
}

/// A batch of puts applied atomically.
///
/// Safety of `@unchecked Sendable`: a batch is built under the store's lock and then handed whole
/// to the task that writes it; nobody touches it after handing it over.
final class WriteBatch: @unchecked Sendable {
  let handle: OpaquePointer
  /// The bytes of keys and values put so far.
  private(set) var byteCount = 0

  init() { handle = leveldb_writebatch_create() }

  /// One batch with every operation of `batches`, in order.
  convenience init(merging batches: [WriteBatch]) {
    self.init()
    for batch in batches {
      leveldb_writebatch_append(handle, batch.handle)
      byteCount += batch.byteCount
    }
  }
  deinit { leveldb_writebatch_destroy(handle) }

  func put(_ key: [UInt8], _ value: [UInt8]) {
    byteCount += key.count + value.count
    leveldb_writebatch_put(handle, key, key.count, value, value.count)
  }

  func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
    byteCount += key.count + value.count
    leveldb_writebatch_put(
      handle, key.baseAddress?.assumingMemoryBound(to: CChar.self), key.count,
      value.baseAddress?.assumingMemoryBound(to: CChar.self), value.count)
  }

  func delete(_ key: [UInt8]) {
    byteCount += key.count
    leveldb_writebatch_delete(handle, key, key.count)
  }

  /// Empties the batch for reuse; LevelDB keeps the memory it had.
  func clear() {
    byteCount = 0
    leveldb_writebatch_clear(handle)
  }
}

/// A positioned cursor over the store's keys; keys and values it hands out are valid until it moves.
final class LevelDBIterator {
  private let handle: OpaquePointer
  private let db: LevelDB

  fileprivate init(_ handle: OpaquePointer, of db: LevelDB) {
    self.handle = handle
    self.db = db
  }

  deinit {
    leveldb_iter_destroy(handle)
    db.endUse()
  }

  var isValid: Bool { leveldb_iter_valid(handle) != 0 }
  func seek(_ key: [UInt8]) { leveldb_iter_seek(handle, key, key.count) }
  func seekToLast() { leveldb_iter_seek_to_last(handle) }
  func next() { leveldb_iter_next(handle) }
  func previous() { leveldb_iter_prev(handle) }

  var key: UnsafeRawBufferPointer {
    var length = 0
    let pointer = leveldb_iter_key(handle, &length)
    return UnsafeRawBufferPointer(start: pointer, count: length)
  }

  var value: UnsafeRawBufferPointer {
    var length = 0
    let pointer = leveldb_iter_value(handle, &length)
    return UnsafeRawBufferPointer(start: pointer, count: length)
  }

  /// Throws if the iteration stopped because of an error rather than the end of the keys.
  func checkError() throws(GoetheError) {
    var error: UnsafeMutablePointer<CChar>?
    leveldb_iter_get_error(handle, &error)
    if let error {
      defer { leveldb_free(error) }
      throw LevelDBStatus.error(for: String(cString: error), path: db.path)
    }
  }
}
