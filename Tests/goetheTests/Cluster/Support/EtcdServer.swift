import Foundation
import GoetheKit
import TestSupport

@testable import goethe

/// A real etcd for the coordinator tests (``EtcdProcess``), which counts as serving once goethe's
/// own etcd client can read from it.
struct EtcdServer: Sendable {
  let etcd: EtcdProcess

  var clientPort: Int { etcd.clientPort }
  var endpoints: EtcdEndpoints { Self.endpoints(port: clientPort) }

  static func withServer<Result: Sendable>(_ body: (EtcdServer) async throws -> Result) async throws -> Result {
    try await EtcdProcess.withEtcd(serves: answersReads) { try await body(EtcdServer(etcd: $0)) }
  }

  static func freePort() throws -> Int { try EtcdProcess.freePort() }

  func pause() { etcd.pause() }
  func resume() { etcd.resume() }

  private static func endpoints(port: Int) -> EtcdEndpoints {
    EtcdEndpoints(addresses: [ServerAddress(host: "127.0.0.1", port: port)])
  }

  private static func answersReads(port: Int) async -> Bool {
    (try? await EtcdClient.withClient(endpoints: endpoints(port: port), requestTimeout: .seconds(1)) { client in
      _ = try await client.range(prefix: "/")
    }) != nil
  }
}
