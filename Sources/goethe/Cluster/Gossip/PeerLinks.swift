import GRPCCore
import GoetheKit
import NIOCore
import NIOPosix
import Synchronization

/// One long-lived connection to each peer: opened when a peer joins the member list, closed when
/// it leaves. The health exchange, replication and forwarding each keep their own, so that none
/// waits behind the others' calls. Under TLS the links use it too (``Security``).
final class PeerLinks: Sendable {
  typealias Client = GRPCClient<GoetheClientTransport>
  /// TLS, or nil for plaintext.
  typealias Security = ClientSecurity.TLS?

  private let security: Security

  /// Where the links' connections run.
  private let eventLoops: any EventLoopGroup
  /// The largest answer taken from a peer.
  private let maxResponseSize: Int

  init(
    security: Security, eventLoops: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    maxResponseSize: Int = GoetheClientTransport.defaultMaxResponseSize
  ) {
    self.security = security
    self.eventLoops = eventLoops
    self.maxResponseSize = maxResponseSize
  }

  private struct Link {
    let grpc: Client
    let connections: Task<Void, any Error>
  }

  private let links = Mutex<[ClusterMember: Link]>([:])

  /// The peers' clients, after opening links to new peers and closing those to departed ones.
  func clients(for peers: [ClusterMember]) -> [(ClusterMember, Client)] {
    let wanted = Set(peers)
    let (current, departed) = links.withLock { links -> ([(ClusterMember, Client)], [Link]) in
      let departed = links.filter { !wanted.contains($0.key) }
      for member in departed.keys { links.removeValue(forKey: member) }
      for peer in peers where links[peer] == nil {
        if let link = try? Self.open(peer, security: security, on: eventLoops, maxResponseSize: maxResponseSize) {
          links[peer] = link
        }
      }
      return (links.map { ($0.key, $0.value.grpc) }, Array(departed.values))
    }
    for link in departed { Self.close(link) }
    return current
  }

  /// Closes every link.
  func closeAll() {
    let all = links.withLock { links in
      defer { links.removeAll() }
      return Array(links.values)
    }
    for link in all { Self.close(link) }
  }

  private static func open(
    _ peer: ClusterMember, security: Security, on eventLoops: any EventLoopGroup, maxResponseSize: Int
  ) throws -> Link {
    let transport = try GoetheClientTransport(
      target: peer.address, tls: security, maxResponseSize: maxResponseSize, group: eventLoops)
    let grpc = GRPCClient(transport: transport)
    return Link(grpc: grpc, connections: Task { try await grpc.runConnections() })
  }

  private static func close(_ link: Link) {
    link.grpc.beginGracefulShutdown()
    link.connections.cancel()
  }
}
