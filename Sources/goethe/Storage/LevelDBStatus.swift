import GoetheKit

/// A LevelDB status message, and the one place where such messages become Goethe error codes.
struct LevelDBStatus: Error {
  let message: String

  /// Classifies a LevelDB status string (`IO error: …`, `Corruption: …`, …) for the store at `path`.
  static func error(for message: String, path: String) -> GoetheError {
    let lowered = message.lowercased()
    if lowered.contains("lock"), lowered.contains("temporarily unavailable") || lowered.contains("already held") {
      return GoetheError(
        .storageLocked,
        "data directory \(path) is in use by another goethe process; stop it or choose another --data-dir")
    }
    if lowered.contains("permission denied") || lowered.contains("read-only file system") {
      return GoetheError(
        .storageUnusable,
        "data directory \(path) is not writable (\(message)); fix its permissions or choose another --data-dir")
    }
    if lowered.contains("not a directory") || lowered.contains("no such file") {
      return GoetheError(
        .storageUnusable,
        "data directory \(path) cannot be used (\(message)); point --data-dir at a directory")
    }
    if lowered.contains("no space left") {
      return GoetheError(.storageUnusable, "data directory \(path) is full (\(message)); free some space")
    }
    if message.hasPrefix("Corruption") {
      return GoetheError(
        .corrupted,
        "data directory \(path) is damaged (\(message)); run: goethe repair --data-dir \(path)")
    }
    return GoetheError(.storageUnusable, "storage error in \(path): \(message)")
  }
}
