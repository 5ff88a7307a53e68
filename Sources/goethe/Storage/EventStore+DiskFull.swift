import Foundation
import GoetheKit
import Logging
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A full disk is the one write failure the store recovers from by itself: once the file system
/// of the data directory has ``StoreOptions/freeBytesToResume`` free again (the operator freed
/// space), the store reopens LevelDB in place, which drops the failed write's torn log record and
/// the error LevelDB latched, reloads what it keeps in memory from what is stored, and takes writes
/// again. Until then writes fail with ``GoetheError/Code/diskFull`` and reads go on. What failed
/// was never acknowledged; a failed write is all there or not there after the reopen, as LevelDB
/// applies a batch whole or not at all.
extension EventStore {
  /// Waits for space in the background, unless it waits already.
  func awaitSpace() {
    guard !awaitingSpace.exchange(true, ordering: .sequentiallyConsistent) else { return }
    Task.detached { [self] in
      defer { awaitingSpace.store(false, ordering: .sequentiallyConsistent) }
      while !db.isClosed {
        try? await Task.sleep(for: options.diskProbeInterval)
        guard !db.isClosed, Self.freeBytes(db.path).map({ $0 >= options.freeBytesToResume }) ?? false else { continue }
        do {
          try await BlockingIO.runToEnd { try self.resumeWrites() }
          return
        } catch {
          options.logger.warning(
            "the store could not be reopened after the disk was full", metadata: ["error": "\(error)"])
        }
      }
    }
  }

  /// Reopens the store and takes writes again.
  private func resumeWrites() throws(GoetheError) {
    // While the failure stands, no write is planned, so none is in progress.
    guard state.withLock({ $0.failure?.code == .diskFull && !$0.writing }) else { return }
    try db.reopen()
    try reloadState { $0.failure = nil }
    options.logger.notice("space is free again at \(db.path); writes resume")
  }

  /// The bytes an unprivileged process may still write to the file system holding `path`.
  static func freeBytes(_ path: String) -> UInt64? {
    var status = statvfs()
    guard statvfs(path, &status) == 0 else { return nil }
    return UInt64(status.f_bavail) * UInt64(status.f_frsize)
  }
}
