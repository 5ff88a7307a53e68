import GoetheKit

/// A LevelDB status message, and the one place where such messages become Goethe error codes.
struct LevelDBStatus: Error {
  let message: String

  /// Classifies a LevelDB status string (`IO error: …`, `Corruption: …`, …) for the store at `path`.
  static func error(for message: String, path: String) -> GoetheError {
    let lowered = message.lowercased()
    if lowered.contains("lock"), lowered.contains("temporarily unavailable") || lowered.contains("already held") {
      return locked(path)
    }
    if lowered.contains("permission denied") || lowered.contains("read-only file system") {
      return GoetheError(
        .storageUnusable,
        "data directory \(path) is not writable (\(message)); fix its permissions or choose another --data-dir")
    }
    if lowered.contains("no space left") { return diskFull(path) }
    // A table that is shorter than the store recorded (reading past its end fails with EINVAL) or
    // gone, and a store whose CURRENT vanished after the directory was checked, are damage too.
    if message.hasPrefix("Corruption") || isUnreadableTable(lowered) || lowered.contains("create_if_missing is false") {
      return damaged(path, message)
    }
    if lowered.contains("not a directory") || lowered.contains("no such file") {
      return GoetheError(
        .storageUnusable,
        "data directory \(path) cannot be used (\(message)); point --data-dir at a directory")
    }
    return GoetheError(.storageUnusable, "storage error in \(path): \(message)")
  }

  /// The refusal of writes while the disk of the store at `path` is full.
  static func diskFull(_ path: String) -> GoetheError { GoetheError(.diskFull, "disk full at \(path)") }

  /// The refusal of a store that another process has open.
  static func locked(_ path: String) -> GoetheError {
    GoetheError(
      .storageLocked, "data directory \(path) is in use by another goethe process; stop it or choose another --data-dir"
    )
  }

  /// The refusal of a damaged store: what is wrong, and the command that recovers what is readable.
  static func damaged(_ path: String, _ reason: String) -> GoetheError {
    GoetheError(.corrupted, "data directory \(path) is damaged (\(reason)); run: goethe repair --data-dir \(path)")
  }

  /// Whether a lowercased status says that a table file is truncated or missing, as in
  /// `IO error: DIR/000008.ldb: Invalid argument`.
  private static func isUnreadableTable(_ lowered: String) -> Bool {
    lowered.hasPrefix("io error") && (lowered.contains(".ldb: ") || lowered.contains(".sst: "))
      && (lowered.hasSuffix("invalid argument") || lowered.hasSuffix("no such file or directory"))
  }
}
