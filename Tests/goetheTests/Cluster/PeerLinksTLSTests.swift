import Foundation
import GRPCCore
import GoetheKit
import Logging
import Testing

@testable import goethe

/// A node dials its peers as its configuration says: under mutual TLS with its own certificate,
/// trusting the client CA for theirs. Real certificates (scripts/make-test-certificates.sh) and
/// a real server with the daemon's TLS on a loopback port.
@Suite(.timeLimit(.minutes(1))) struct PeerLinksTLSTests {
  private static func withCertificates<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("goethe-peer-tls-\(UUID())")
    defer { try? FileManager.default.removeItem(at: directory) }
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "../../../scripts/make-test-certificates.sh"
    ).standardized
    let process = try Process.run(script, arguments: [directory.path])
    process.waitUntilExit()
    try #require(process.terminationStatus == 0)
    return try await body(directory)
  }

  /// Asks a peer's health over `links`, under the daemon configuration `configuration`.
  private static func check(
    _ peer: ServerAddress, with configuration: DaemonConfiguration
  ) async throws
    -> Grpc_Health_V1_HealthCheckResponse.ServingStatus
  {
    let links = PeerLinks(security: configuration.peerTLS)
    defer { links.closeAll() }
    let (_, client) = try #require(links.clients(for: [ClusterMember(nodeID: "n2", address: peer)]).first)
    var options = CallOptions.defaults
    options.timeout = .seconds(10)
    return try await Grpc_Health_V1_Health.Client(wrapping: client).check(.init(), options: options).status
  }

  private static func withPeer(_ certificates: URL, _ body: (ServerAddress) async throws -> Void) async throws {
    let tls = try ServerTLS(
      certificate: certificates.appendingPathComponent("server.pem").path,
      key: certificates.appendingPathComponent("server.key").path,
      clientCA: certificates.appendingPathComponent("ca.pem").path,
      logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    let server = GoetheServer(
      socket: try ListeningSocket(binding: ServerAddress(host: "127.0.0.1", port: 0)), services: [HealthService()],
      settings: TransportSettings(), tls: tls)
    try await withThrowingTaskGroup { group in
      group.addTask { try await server.serve() }
      defer { server.beginGracefulShutdown() }
      let port = try #require(await server.listeningAddress?.port)
      try await body(ServerAddress(host: "127.0.0.1", port: port))
    }
  }

  /// A node serving TLS with the test server certificate, and mutual TLS with the test CA.
  private static func node(_ certificates: URL, clientCA: Bool) -> DaemonConfiguration {
    var node = DaemonConfiguration()
    node.tlsCertificate = certificates.appendingPathComponent("server.pem").path
    node.tlsKey = certificates.appendingPathComponent("server.key").path
    if clientCA { node.tlsClientCA = certificates.appendingPathComponent("ca.pem").path }
    return node
  }

  @Test func aNodeReachesItsPeerUnderMutualTLS() async throws {
    try await Self.withCertificates { certificates in
      try await Self.withPeer(certificates) { peer in
        let status = try await Self.check(peer, with: Self.node(certificates, clientCA: true))
        #expect(status == .serving)
      }
    }
  }

  @Test func aNodeWithoutTheClientCAsTrustIsNotLetIn() async throws {
    try await Self.withCertificates { certificates in
      try await Self.withPeer(certificates) { peer in
        // TLS alone: the node presents no certificate and trusts only the system's roots.
        let node = Self.node(certificates, clientCA: false)
        let error = try await #require(throws: RPCError.self) { try await Self.check(peer, with: node) }
        #expect(error.code == .unavailable)
      }
    }
  }
}
