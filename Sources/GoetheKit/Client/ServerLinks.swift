import GRPCCore
import NIOPosix
import Synchronization

/// A client's connections to the servers it was given, and the one its calls go to now.
///
/// Calls go to one server at a time. ``move(awayFrom:to:)`` turns to the leader a refusing node
/// named, or else to the next server of the list, round the list; a link once opened stays open
/// for the client's lifetime, so that turning back to a server costs no new handshake.
final class ServerLinks: Sendable {
  typealias Transport = GoetheClientTransport

  struct Link: Sendable {
    let server: ServerAddress
    /// For calls that read their responses with a deserializer of their own.
    let grpc: GRPCClient<Transport>
    let stub: Io_Typusomega_Goethe_Goethe.Client<Transport>
    let clusterStub: Io_Typusomega_Goethe_Cluster.Client<Transport>
    /// Runs tasks on the event loop of the link's connections.
    let executor: EventLoopTaskExecutor
  }

  private struct Opened {
    let link: Link
    let connections: Task<Void, any Error>
  }

  private struct State {
    var current: ServerAddress
    var opened: [ServerAddress: Opened] = [:]
  }

  /// The servers as given, in order; never empty.
  let servers: [ServerAddress]
  private let security: ClientSecurity
  private let interceptors: [any ClientInterceptor]
  private let state: Mutex<State>

  /// Opens the link to the first server, so that a client set up with unusable TLS files fails
  /// at once.
  init(servers: [ServerAddress], security: ClientSecurity, interceptors: [any ClientInterceptor]) throws(GoetheError) {
    precondition(!servers.isEmpty, "a client needs a server")
    self.servers = servers
    self.security = security
    self.interceptors = interceptors
    let first = try Self.open(servers[0], security: security, interceptors: interceptors)
    state = Mutex(State(current: servers[0], opened: [servers[0]: first]))
  }

  /// The server calls go to now.
  var currentServer: ServerAddress { state.withLock { $0.current } }

  /// The link to the server calls go to now, opened if it is not yet.
  func current() throws(GoetheError) -> Link {
    let security = self.security
    let interceptors = self.interceptors
    return try state.withLock { state throws(GoetheError) in
      if let opened = state.opened[state.current] { return opened.link }
      let opened = try Self.open(state.current, security: security, interceptors: interceptors)
      state.opened[state.current] = opened
      return opened.link
    }
  }

  /// Calls to `server` failed: the next go to `leader` when one was named, else to the server
  /// after `server` in the list. Does nothing if calls already went elsewhere meanwhile.
  func move(awayFrom server: ServerAddress, to leader: ServerAddress?) {
    state.withLock { state in
      guard state.current == server else { return }
      if let leader, leader != server {
        state.current = leader
      } else if let index = servers.firstIndex(of: server) {
        state.current = servers[(index + 1) % servers.count]
      } else {
        state.current = servers[0]
      }
    }
  }

  /// Closes every link gracefully, or after a second at the latest (a server that stopped
  /// answering would otherwise hold the close forever).
  func close() async {
    let opened = state.withLock { state in
      defer { state.opened.removeAll() }
      return Array(state.opened.values)
    }
    await withTaskGroup(of: Void.self) { group in
      for each in opened {
        each.link.grpc.beginGracefulShutdown()
        group.addTask {
          await withTaskGroup(of: Void.self) { race in
            race.addTask { _ = await each.connections.result }
            race.addTask {
              try? await Task.sleep(for: .seconds(1))
              each.connections.cancel()
            }
            await race.next()
            race.cancelAll()
          }
        }
      }
    }
  }

  private static func open(
    _ server: ServerAddress, security: ClientSecurity, interceptors: [any ClientInterceptor]
  ) throws(GoetheError) -> Opened {
    let grpc: GRPCClient<Transport>
    let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
    do {
      grpc = GRPCClient(
        transport: try Transport(target: server, tls: security.tls, group: eventLoop),
        interceptors: interceptors)
    } catch {
      throw GoetheError(tlsSetup: error, security: security)
    }
    let connections = Task { try await grpc.runConnections() }
    return Opened(
      link: Link(
        server: server, grpc: grpc, stub: .init(wrapping: grpc), clusterStub: .init(wrapping: grpc),
        executor: EventLoopTaskExecutor(eventLoop: eventLoop)),
      connections: connections)
  }
}
