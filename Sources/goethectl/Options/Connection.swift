import Foundation
import GoetheKit

/// Where goethectl connects and with which credentials, from its flags, then its environment
/// (`GOETHE_SERVER`, `GOETHE_TOKEN`), then the context (`--context`, or the one in use), then the
/// defaults.
struct Connection {
  /// The servers to try, in order: one, or the nodes of a cluster.
  var servers: [ServerAddress]
  var security: ClientSecurity
  /// The context the connection came from, if one did.
  var contextName: String?

  /// The first server, which calls go to first.
  var address: ServerAddress { servers[0] }
}

extension GlobalOptions {
  func connection(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(GoetheError) -> Connection {
    let store = try ContextStore.load()
    let contextName = context ?? store.current
    let saved = try contextName.map { name throws(GoetheError) in try store.context(named: name) } ?? SavedContext()
    let servers = try ServerAddress.list(
      parsing: server ?? environment["GOETHE_SERVER"] ?? saved.server ?? ServerAddress.defaultServer.description)
    let authority = tlsCA ?? saved.tlsCA
    let certificate = tlsCert ?? saved.tlsCert
    let key = tlsKey ?? saved.tlsKey
    let usesTLS = tls || saved.tls == true || authority != nil || certificate != nil
    let token = try token(environment: environment, saved: saved)
    if let token, !ClientSecurity.isValidToken(token) {
      throw GoetheError(.invalidArgument, "the token has spaces or control characters, which no header can carry")
    }
    return Connection(
      servers: servers,
      security: ClientSecurity(
        tls: usesTLS ? .init(certificateAuthority: authority, certificate: certificate, key: key) : nil, token: token),
      contextName: contextName)
  }

  private func token(environment: [String: String], saved: SavedContext) throws(GoetheError) -> String? {
    if let token { return token }
    if let tokenFile { return try Self.readToken(tokenFile) }
    if let token = environment["GOETHE_TOKEN"], !token.isEmpty { return token }
    if let token = saved.token { return token }
    return try saved.tokenFile.map { path throws(GoetheError) in try Self.readToken(path) }
  }

  /// The token in `path`, without the line break that ends it.
  static func readToken(_ path: String) throws(GoetheError) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw GoetheError(.invalidArgument, "cannot read the token file \(path)")
    }
    let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard !token.isEmpty else { throw GoetheError(.invalidArgument, "the token file \(path) is empty") }
    return token
  }
}
