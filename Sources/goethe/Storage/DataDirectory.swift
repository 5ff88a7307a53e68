import Foundation
import GoetheKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The data directory as goethe finds it, checked before LevelDB opens it.
///
/// LevelDB told to create a missing store takes a directory without `CURRENT` for an empty one:
/// it writes a new store there and deletes the tables and logs it finds as obsolete. So a store is
/// only ever created in a directory without LevelDB files, and a directory that has them but no
/// usable `CURRENT` (missing, garbage, or naming a manifest that is gone) is refused before LevelDB
/// touches it; `goethe repair` rebuilds `CURRENT` and the manifest from the tables and logs.
enum DataDirectory {
  /// Creates `path` and its missing parents; returns whether it holds a store, after checking
  /// that LevelDB can find the store's files.
  static func prepare(_ path: String) throws(GoetheError) -> Bool {
    try create(path)
    guard try holdsStore(path) else { return false }
    try checkCurrent(path)
    return true
  }

  /// Whether `path` is a directory with LevelDB tables, logs or manifests in it.
  static func holdsStore(_ path: String) throws(GoetheError) -> Bool {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
      return false
    }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      throw GoetheError(
        .storageUnusable, "data directory \(path) cannot be listed; fix its permissions or choose another --data-dir",
        cause: error)
    }
    return names.contains { name in
      name.hasSuffix(".ldb") || name.hasSuffix(".sst") || name.hasSuffix(".log") || name.hasPrefix("MANIFEST-")
    }
  }

  /// Creates each missing directory of `path` in turn, so that a failure names the one at fault.
  private static func create(_ path: String) throws(GoetheError) {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
      prefix += prefix.isEmpty || prefix.hasSuffix("/") ? component : "/" + component
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: prefix, isDirectory: &isDirectory) {
        guard isDirectory.boolValue else {
          let what = prefix == path ? "data directory \(path) is" : "cannot create data directory \(path): \(prefix) is"
          throw GoetheError(.storageUnusable, "\(what) not a directory; choose another --data-dir")
        }
        continue
      }
      guard mkdir(prefix, 0o777) == 0 || errno == EEXIST else {
        let reason = String(cString: strerror(errno))
        throw GoetheError(
          .storageUnusable, "cannot create data directory \(path): \(prefix): \(reason); choose another --data-dir")
      }
    }
  }

  /// Refuses a store whose `CURRENT` file does not name an existing manifest.
  private static func checkCurrent(_ path: String) throws(GoetheError) {
    let current = path + "/CURRENT"
    guard FileManager.default.fileExists(atPath: current) else {
      throw LevelDBStatus.damaged(path, "it holds LevelDB files but no CURRENT file")
    }
    // Unreadable: LevelDB says why when it opens the store.
    guard let contents = FileManager.default.contents(atPath: current) else { return }
    let text = String(decoding: contents, as: UTF8.self)
    guard text.hasSuffix("\n"), let manifest = text.dropLast().wholeMatch(of: /MANIFEST-[0-9]+/)?.output else {
      throw LevelDBStatus.damaged(path, "its CURRENT file names no manifest")
    }
    guard FileManager.default.fileExists(atPath: path + "/" + manifest) else {
      throw LevelDBStatus.damaged(path, "its CURRENT file names \(manifest), which is missing")
    }
  }
}
