import GRPCCore
import GRPCNIOTransportHTTP2
import GoetheKit
import NIOCore
import NIOPosix

/// A gRPC target for a list of etcd endpoints, which may mix IP literals and host names; the
/// transport's own targets take either one host name or a list of addresses of one family.
struct EtcdEndpointsTarget: ResolvableTarget, Sendable {
  var endpoints: EtcdEndpoints
}

/// Resolves an ``EtcdEndpointsTarget`` each time the channel asks (after a connection fails, say),
/// into one gRPC endpoint with every address in the given order: the default pick-first policy
/// uses only the first endpoint, and tries its addresses in turn.
struct EtcdEndpointsResolverFactory: NameResolverFactory {
  typealias Target = EtcdEndpointsTarget

  func resolver(for target: EtcdEndpointsTarget) -> NameResolver {
    NameResolver(
      names: RPCAsyncSequence(wrapping: Names(endpoints: target.endpoints)), updateMode: .pull,
      authority: target.endpoints.addresses[0].description)
  }

  private struct Names: AsyncSequence, Sendable {
    typealias Element = NameResolutionResult
    let endpoints: EtcdEndpoints

    func makeAsyncIterator() -> Iterator { Iterator(endpoints: endpoints) }

    struct Iterator: AsyncIteratorProtocol {
      let endpoints: EtcdEndpoints

      mutating func next() async throws -> NameResolutionResult? {
        var resolved: [GRPCNIOTransportHTTP2.SocketAddress] = []
        for address in endpoints.addresses {
          // A name that does not resolve now may later: it is left out rather than failing the others.
          if let addresses = try? await Self.resolve(address) { resolved += addresses }
        }
        return NameResolutionResult(
          endpoints: resolved.isEmpty ? [] : [Endpoint(addresses: resolved)], serviceConfig: nil)
      }

      /// The socket addresses of `address`; getaddrinfo blocks, so it runs on NIO's thread pool.
      private static func resolve(_ address: ServerAddress) async throws -> [GRPCNIOTransportHTTP2.SocketAddress] {
        let resolved = try await NIOThreadPool.singleton.runIfActive {
          try NIOCore.SocketAddress.makeAddressResolvingHost(address.host, port: address.port)
        }
        guard let ip = resolved.ipAddress else { return [] }
        if case .v6 = resolved { return [.ipv6(host: ip, port: address.port)] }
        return [.ipv4(host: ip, port: address.port)]
      }
    }
  }
}
