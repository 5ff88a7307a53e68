import GRPCCore
import Testing

@testable import GoetheKit

/// A server that breaks HTTP/2 on a ready connection: the client's HTTP/2 layer answers with
/// GOAWAY, and the connection must then close, so that the next call goes to a new one.
@Suite(.timeLimit(.minutes(1))) struct ClientConnectionErrorTests {
  /// A SETTINGS frame whose length is no multiple of 6, which HTTP/2 makes a connection error
  /// (RFC 9113, 6.5).
  static let brokenSettings: [UInt8] = [0, 0, 5, 0x4, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5]

  @Test func aConnectionTheServerBrokeIsClosedAndTheNextCallConnectsAgain() async throws {
    let server = RawServer(greeting: RawServer.settings)
    let port = try await server.start()
    let transport = try GoetheClientTransport(target: ServerAddress(host: "127.0.0.1", port: port), tls: nil)
    try await withGRPCClient(transport: transport) { client in
      @Sendable func call() async throws {
        var options = CallOptions.defaults
        options.timeout = .milliseconds(200)
        _ = try await client.unary(
          request: ClientRequest(message: [UInt8]()), descriptor: EchoServer.method("Echo"), serializer: RawBytes(),
          deserializer: RawBytes(), options: options
        ) { try $0.message }
      }
      // The raw server answers no call: each ends at its deadline, on a ready connection.
      let first = await #expect(throws: RPCError.self) { try await call() }
      #expect(first?.code == .deadlineExceeded)
      try await waitUntil { server.connections == 1 }
      server.send(Self.brokenSettings)
      try await waitUntil { server.closedConnections == 1 }
      await #expect(throws: RPCError.self) { try await call() }
      try await waitUntil { server.connections == 2 }
    }
    try await server.stop()
  }
}
