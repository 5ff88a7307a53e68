import GRPCCore
import Testing

@testable import GoetheKit

/// What a transport leaves behind once it has shut down: nothing, not even a connection that a
/// call gave up waiting for.
@Suite(.timeLimit(.minutes(1))) struct ClientTransportShutdownTests {
  @Test func aConnectionReadyOnlyAfterTheShutdownIsClosed() async throws {
    let server = RawServer()
    let port = try await server.start()
    let transport = try GoetheClientTransport(target: ServerAddress(host: "127.0.0.1", port: port), tls: nil)
    try await withGRPCClient(transport: transport) { client in
      var options = CallOptions.defaults
      options.timeout = .milliseconds(100)
      let error = try await #require(throws: RPCError.self) {
        try await client.unary(
          request: ClientRequest(message: [UInt8]()), descriptor: EchoServer.method("Echo"), serializer: RawBytes(),
          deserializer: RawBytes(), options: options
        ) { try $0.message }
      }
      #expect(error.code == .deadlineExceeded)
      try await waitUntil { server.connections == 1 }
    }
    // The transport has shut down; the attempt it left behind now succeeds.
    server.send(RawServer.settings)
    try await waitUntil { server.closedConnections == 1 }
    try await server.stop()
  }
}
