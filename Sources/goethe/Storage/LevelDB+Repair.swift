import CLevelDB
import Foundation
import GoetheKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension LevelDB {
  /// Where a repair keeps LevelDB's reports of its steps, which later opens would rotate out of `LOG`.
  static func repairReport(in path: String) -> String { path + "/LOG.repair" }

  /// Repairs the damaged store in `path`, which must not be open, keeping every record whose
  /// checksum holds.
  ///
  /// LevelDB's repair rebuilds the manifest from the tables, copying what it can read of a damaged
  /// table, but it turns logs into tables without checking their records' checksums: a damaged log
  /// record would come back with damaged contents. So the logs are set aside (under names LevelDB
  /// does not read) while it repairs, then put back with file numbers above every other file and
  /// replayed by an open without paranoid checks, which checks every record and skips the damaged
  /// ones instead of failing. A repair that is interrupted leaves the logs set aside, and the next
  /// repair replays them.
  static func repair(path: String) throws(GoetheError) {
    try withStoreLock(path) { () throws(GoetheError) in try repairLocked(path) }
  }

  private static func repairLocked(_ path: String) throws(GoetheError) {
    let files = try StoreFiles(path)
    // Numbered above the logs an interrupted repair set aside, which are older.
    var aside = files.setAside.last?.number ?? 0
    for log in files.logs {
      aside = max(aside + 1, log.number)
      try files.rename(log.name, to: StoreFiles.setAsideName(aside))
    }
    try run(path, paranoid: true) { options, error in leveldb_repair_db(options, path, error) }
    try files.saveReport(replacing: true)

    let repaired = try StoreFiles(path)
    guard !repaired.setAside.isEmpty else { return }
    var number = repaired.highestNumber
    for log in repaired.setAside {
      number += 1
      try repaired.rename(log.name, to: StoreFiles.logName(number))
    }
    try run(path, paranoid: false) { options, error in
      if let db = leveldb_open(options, path, error) { leveldb_close(db) }
    }
    try repaired.saveReport(replacing: false)
  }

  /// Runs a LevelDB function on the closed store in `path` with fresh options.
  private static func run(
    _ path: String, paranoid: Bool,
    _ body: (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Void
  ) throws(GoetheError) {
    let options = leveldb_options_create()
    defer { leveldb_options_destroy(options) }
    leveldb_options_set_paranoid_checks(options, paranoid ? 1 : 0)
    do {
      try call { body(options, $0) }
    } catch {
      throw LevelDBStatus.error(for: error.message, path: path)
    }
  }
}

/// Runs `body` holding the lock LevelDB takes on the store (a POSIX record lock on its `LOCK`
/// file), which its repair does not take: a repair must not rename or rewrite the files of a
/// store that a daemon has open. LevelDB's own open in this process takes the lock again, and
/// its close releases it.
private func withStoreLock(_ path: String, _ body: () throws(GoetheError) -> Void) throws(GoetheError) {
  let descriptor = open(path + "/LOCK", O_RDWR | O_CREAT, 0o644)
  guard descriptor >= 0 else {
    throw GoetheError(.storageUnusable, "cannot open \(path)/LOCK: \(String(cString: strerror(errno)))")
  }
  defer { close(descriptor) }
  var lock = flock()
  lock.l_type = Int16(F_WRLCK)
  lock.l_whence = Int16(SEEK_SET)
  guard fcntl(descriptor, F_SETLK, &lock) == 0 else { throw LevelDBStatus.locked(path) }
  try body()
}

/// The numbered files of a store's directory, as LevelDB names them.
private struct StoreFiles {
  struct Numbered {
    var name: String
    var number: UInt64
  }

  let path: String
  /// The logs LevelDB would read, oldest first.
  private(set) var logs: [Numbered] = []
  /// Logs set aside by a repair, oldest first.
  private(set) var setAside: [Numbered] = []
  /// The highest file number in use.
  private(set) var highestNumber: UInt64 = 0

  init(_ path: String) throws(GoetheError) {
    self.path = path
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      throw GoetheError(.storageUnusable, "cannot list \(path) to repair it", cause: error)
    }
    for name in names {
      if let match = name.wholeMatch(of: /unreplayed-([0-9]+)\.log/), let number = UInt64(match.1) {
        setAside.append(Numbered(name: name, number: number))
      } else if let match = name.wholeMatch(of: /(?:MANIFEST-)?([0-9]+)(\.[a-z]+)?/),
        let number = UInt64(match.1)
      {
        highestNumber = max(highestNumber, number)
        if match.2 == ".log" { logs.append(Numbered(name: name, number: number)) }
      }
    }
    logs.sort { $0.number < $1.number }
    setAside.sort { $0.number < $1.number }
  }

  static func logName(_ number: UInt64) -> String {
    let digits = String(number)
    return String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".log"
  }

  static func setAsideName(_ number: UInt64) -> String { "unreplayed-" + logName(number) }

  func rename(_ name: String, to newName: String) throws(GoetheError) {
    do {
      try FileManager.default.moveItem(atPath: path + "/" + name, toPath: path + "/" + newName)
    } catch {
      throw GoetheError(
        .storageUnusable, "cannot rename \(path)/\(name) to \(newName) to repair the store", cause: error)
    }
  }

  /// Copies LevelDB's `LOG` of the last step into the repair's report, or appends it.
  func saveReport(replacing: Bool) throws(GoetheError) {
    let report = LevelDB.repairReport(in: path)
    do {
      let log = try Data(contentsOf: URL(fileURLWithPath: path + "/LOG"))
      if replacing || !FileManager.default.fileExists(atPath: report) {
        try log.write(to: URL(fileURLWithPath: report))
      } else {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: report))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: log)
      }
    } catch {
      throw GoetheError(.storageUnusable, "cannot write the repair's report to \(report)", cause: error)
    }
  }
}
