import Foundation
import GoetheKit

/// A saved server with the credentials for it, as `goethectl context add` records it. Paths are
/// absolute, so that a context works from any directory.
struct SavedContext: Codable, Equatable {
  var server: String?
  var tls: Bool?
  var tlsCA: String?
  var tlsCert: String?
  var tlsKey: String?
  var token: String?
  var tokenFile: String?

  enum CodingKeys: String, CodingKey {
    case server, tls, token
    case tlsCA = "tls_ca"
    case tlsCert = "tls_cert"
    case tlsKey = "tls_key"
    case tokenFile = "token_file"
  }
}

/// The contexts file, `$XDG_CONFIG_HOME/goethe/contexts.json` (or `~/.config/goethe/…`): the saved
/// contexts and the one in use. It may hold tokens, so it is written readable by its owner only.
struct ContextStore: Codable, Equatable {
  var current: String?
  var contexts: [String: SavedContext] = [:]

  static var path: String {
    let environment = ProcessInfo.processInfo.environment
    let base =
      environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
    return base + "/goethe/contexts.json"
  }

  /// The saved contexts; none when the file does not exist.
  static func load() throws(GoetheError) -> ContextStore {
    guard let data = FileManager.default.contents(atPath: path) else { return ContextStore() }
    do {
      return try JSONDecoder().decode(ContextStore.self, from: data)
    } catch {
      throw GoetheError(.invalidArgument, "cannot read the contexts in \(path): it is not a contexts file; remove it")
    }
  }

  /// Writes the file, readable and writable by its owner only, replacing the old one at once.
  func save() throws(GoetheError) {
    let path = Self.path
    let directory = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let temporary = path + ".tmp"
      guard
        FileManager.default.createFile(
          atPath: temporary, contents: try encoder.encode(self), attributes: [.posixPermissions: 0o600])
      else { throw GoetheError(.internalError, "cannot write \(temporary)") }
      guard rename(temporary, path) == 0 else { throw GoetheError(.internalError, "cannot replace \(path)") }
    } catch {
      throw GoetheError(.internalError, "cannot save the contexts in \(path): \(error)")
    }
  }

  /// The context named `name`, or an error that says which exist.
  func context(named name: String) throws(GoetheError) -> SavedContext {
    guard let context = contexts[name] else {
      let known = contexts.keys.sorted()
      let hint =
        known.isEmpty
        ? "; add one with: goethectl context add NAME --server HOST:PORT"
        : " (known: \(known.joined(separator: ", ")))"
      throw GoetheError(.invalidArgument, "no context \(name)" + hint)
    }
    return context
  }
}
