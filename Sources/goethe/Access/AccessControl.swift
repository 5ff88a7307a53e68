import GoetheKit
import Synchronization

/// Who may make which call: the callers and grants of the daemon's auth file, reread on
/// ``reload()``. Without an auth file every call is allowed; with one, nothing is allowed unless a
/// grant says so.
///
/// A caller is known by the bearer token of its call (`authorization: Bearer TOKEN`) or, without
/// one, by the common name of its client certificate under mutual TLS. Refusals say what was
/// wrong (no token, an unknown token, a missing grant) but never repeat a token.
final class AccessControl: Sendable {
  /// The auth file; nil when every call is allowed.
  let path: String?
  private let file: Mutex<AuthFile?>

  /// Every call allowed, as without `--auth-file`.
  static let open = AccessControl(path: nil, file: nil)

  /// Reads the auth file at `path`.
  convenience init(authFile path: String) throws(GoetheError) {
    self.init(path: path, file: try AuthFile(contentsOf: path))
  }

  private init(path: String?, file: AuthFile?) {
    self.path = path
    self.file = Mutex(file)
  }

  /// Rereads the auth file; a file that cannot be read or parsed leaves the current one in force.
  /// Returns the number of callers now known.
  @discardableResult
  func reload() throws(GoetheError) -> Int {
    guard let path else { return 0 }
    let fresh = try AuthFile(contentsOf: path)
    file.withLock { $0 = fresh }
    return fresh.callers.count
  }

  // MARK: Checks

  /// The call's caller must hold `access` to `topic`.
  func require(_ access: TopicAccess, on topic: String, _ context: CallContext) throws(GoetheError) {
    guard let caller = try caller(of: context), !caller.grants.contains(where: { $0.allows(access, on: topic) })
    else { return }
    throw GoetheError(.permissionDenied, "\(caller.name) has no grant to \(access.verb) topic \(topic)")
  }

  /// The call's caller must hold `access` to some topic; the answer then names only the topics
  /// the returned test passes.
  func requireSome(_ access: TopicAccess, _ context: CallContext) throws(GoetheError) -> @Sendable (String) -> Bool {
    guard let caller = try caller(of: context) else { return { _ in true } }
    guard caller.grants.contains(where: { $0.allows(access) }) else {
      throw GoetheError(.permissionDenied, "\(caller.name) has no grant to \(access.verb) any topic")
    }
    let grants = caller.grants
    return { topic in grants.contains { $0.allows(access, on: topic) } }
  }

  /// The call's caller must be known, with any grant: for calls that show no topic's events.
  func requireKnown(_ context: CallContext) throws(GoetheError) {
    _ = try caller(of: context)
  }

  /// The call's caller must hold the admin grant.
  func requireAdmin(_ context: CallContext) throws(GoetheError) {
    guard let caller = try caller(of: context), !caller.grants.contains(.admin) else { return }
    throw GoetheError(.permissionDenied, "\(caller.name) has no admin grant, which this call needs")
  }

  /// The caller the call's credentials name; nil when no auth file is in force.
  private func caller(of context: CallContext) throws(GoetheError) -> AuthFile.Caller? {
    guard let file = file.withLock({ $0 }) else { return nil }
    if let header = context.authorization {
      guard let token = Self.bearerToken(header) else {
        throw GoetheError(.unauthenticated, "the authorization header is not of the form \"Bearer TOKEN\"")
      }
      guard let caller = file.caller(token: token) else {
        throw GoetheError(.unauthenticated, "unknown token: this server's auth file has no such token")
      }
      return caller
    }
    if let name = context.certificateName {
      guard let caller = file.caller(certificateName: name) else {
        throw GoetheError(
          .unauthenticated, "no token, and the client certificate's name \(name) is not in this server's auth file")
      }
      return caller
    }
    throw GoetheError(.unauthenticated, "no token: this server requires one with every call")
  }

  /// The token of `Bearer TOKEN` (the scheme in any case, as HTTP has it); nil for anything else.
  private static func bearerToken(_ header: String) -> String? {
    let parts = header.split(separator: " ", omittingEmptySubsequences: true)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
    let token = String(parts[1])
    return ClientSecurity.isValidToken(token) ? token : nil
  }
}
