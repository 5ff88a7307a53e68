import Dispatch
import Foundation
import GoetheKit
import Synchronization

/// Topic and consumer names for TAB in a session, fetched from the server at most every few
/// seconds so that TAB stays instant; empty when the server does not answer within a second.
final class NameCache: Sendable {
  private let servers: [ServerAddress]
  private let security: ClientSecurity
  private let cache = Mutex<[ReplCompleter.NameKind: (fetched: ContinuousClock.Instant, names: [String])]>([:])
  static let freshness = Duration.seconds(5)

  init(servers: [ServerAddress], security: ClientSecurity) {
    self.servers = servers
    self.security = security
  }

  /// Blocks the calling (readline) thread for at most a second.
  func names(_ kind: ReplCompleter.NameKind) -> [String] {
    if let entry = cache.withLock({ $0[kind] }), ContinuousClock.now - entry.fetched < Self.freshness {
      return entry.names
    }
    let done = DispatchSemaphore(value: 0)
    let (servers, security) = (self.servers, self.security)
    Task.detached { [self] in
      let names = try? await GoetheClient.withConnection(to: servers, security: security, timeout: .seconds(1)) {
        client in
        switch kind {
        case .topic: try await client.topics().map(\.name)
        case .consumer: Array(Set(try await client.cursors().map(\.consumer))).sorted()
        }
      }
      if let names { cache.withLock { $0[kind] = (ContinuousClock.now, names) } }
      done.signal()
    }
    _ = done.wait(timeout: .now() + 1)
    return cache.withLock { $0[kind]?.names } ?? []
  }

  /// Forgets the names after a command, which may have created topics or cursors.
  func invalidate() {
    cache.withLock { $0.removeAll() }
  }
}
