import GoetheKit
import Testing

@testable import goethe

/// The server says what it is: its version, node, sync mode and event size limit.
@Suite(.timeLimit(.minutes(1)))
struct RPCServerInfoTests {
  @Test(arguments: [Durability.never, .always])
  func serverInfoNamesTheSyncMode(durability: Durability) async throws {
    try await withRPCServer(durability: durability, maxEventSize: 4096) { server in
      let info = try await server.withClient { client in try await client.serverInfo() }
      #expect(info.durability == durability)
      #expect(info.version == GoetheVersion.current)
      #expect(info.nodeID == server.store.nodeID)
      #expect(info.maxEventSize == 4096)
    }
  }
}
