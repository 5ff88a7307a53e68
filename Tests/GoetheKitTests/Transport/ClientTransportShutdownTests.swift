import GRPCCore
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import GoetheKit

/// What a transport leaves behind once it has shut down: nothing, not even a connection that a
/// call gave up waiting for.
@Suite(.timeLimit(.minutes(1))) struct ClientTransportShutdownTests {
  /// A server on a loopback port that accepts connections and answers nothing until told to send
  /// its SETTINGS, which make a client's connection ready.
  private final class SilentServer: Sendable {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let accepted = Mutex<[any Channel]>([])
    private let closed = Atomic<Int>(0)

    func start() async throws -> Int {
      let server = try await ServerBootstrap(group: group)
        .childChannelInitializer { [self] channel in
          accepted.withLock { $0.append(channel) }
          channel.closeFuture.whenComplete { [self] _ in closed.add(1, ordering: .relaxed) }
          return channel.eventLoop.makeSucceededVoidFuture()
        }
        .bind(host: "127.0.0.1", port: 0).get()
      return try #require(server.localAddress?.port)
    }

    var connections: Int { accepted.withLock { $0.count } }
    var closedConnections: Int { closed.load(ordering: .relaxed) }

    func sendSettings() {
      for channel in accepted.withLock({ $0 }) {
        channel.writeAndFlush(ByteBuffer(bytes: [0, 0, 0, 0x4, 0, 0, 0, 0, 0]), promise: nil)
      }
    }
  }

  @Test func aConnectionReadyOnlyAfterTheShutdownIsClosed() async throws {
    let server = SilentServer()
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
      #expect(server.connections == 1)
    }
    // The transport has shut down; the attempt it left behind now succeeds.
    server.sendSettings()
    try await waitUntil { server.closedConnections == 1 }
    try await server.group.shutdownGracefully()
  }
}
