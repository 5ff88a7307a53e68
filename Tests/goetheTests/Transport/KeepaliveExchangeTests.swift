import GoetheKit
import NIOCore
import NIOEmbedded
import NIOHTTP2
import Testing

@testable import goethe

/// Keepalive between the daemon's connection pipeline (the guard, the HTTP/2 handler, the calls'
/// handler and the manager) and a client's HTTP/2 handler, both swift-nio-http2 on embedded
/// channels with their bytes passed across by hand, so that time is the test's to move.
@Suite struct KeepaliveExchangeTests {
  static func server() throws -> EmbeddedChannel {
    let channel = EmbeddedChannel()
    let calls = GRPCCall.Configuration(
      methods: [:], maxRequestSize: 1024, executor: EventLoopTaskExecutor(eventLoop: channel.eventLoop),
      calls: CallTracker(), requestMemory: RequestMemory(limit: 1 << 30))
    let pipeline = channel.pipeline.syncOperations
    try pipeline.addHandler(HTTP2ConnectionGuard(prefaceTimeout: .seconds(10)))
    try pipeline.addHandler(
      NIOHTTP2Handler(mode: .server, connectionConfiguration: HTTP2Tuning.connection(announcing: [])))
    try pipeline.addHandler(GRPCConnectionHandler(calls, targetWindow: 1 << 20))
    try pipeline.addHandler(
      ConnectionManager(idleTimeout: nil, keepalive: .init(interval: .seconds(60), timeout: .seconds(20))))
    try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    return channel
  }

  /// The PINGs the client's HTTP/2 handler received (it answers them by itself).
  static func pingsReceived(by client: EmbeddedChannel) throws -> Int {
    var pings = 0
    while let frame = try client.readInbound(as: HTTP2Frame.self) {
      if case .ping(_, ack: false) = frame.payload { pings += 1 }
    }
    return pings
  }

  /// Runs `body` with a client and the server connected: preface and settings exchanged.
  static func withConnection(_ body: (EmbeddedChannel, EmbeddedChannel) throws -> Void) throws {
    let client = try GRPCCallEndingTests.client()
    let server = try Self.server()
    defer {
      _ = try? client.finish()
      _ = try? server.finish()
    }
    try GRPCCallEndingTests.exchange(client, server)
    try body(client, server)
  }

  /// Five minutes of a quiet connection, a second at a time, with the client's answers passed
  /// across after each second.
  @Test func aClientThatAnswersStaysConnected() throws {
    try Self.withConnection { client, server in
      var pings = 0
      for _ in 0..<300 {
        server.embeddedEventLoop.advanceTime(by: .seconds(1))
        try GRPCCallEndingTests.exchange(client, server)
        pings += try Self.pingsReceived(by: client)
      }
      #expect(server.isActive)
      #expect(pings >= 2, "a quiet connection is pinged")
    }
  }

  @Test func aClientThatDoesNotAnswerIsClosed() throws {
    try Self.withConnection { client, server in
      server.embeddedEventLoop.advanceTime(by: .seconds(120))
      // The PING reaches the client, but its answer never reaches the server.
      while case .byteBuffer(let bytes) = try server.readOutbound(as: IOData.self) { try client.writeInbound(bytes) }
      #expect(try Self.pingsReceived(by: client) == 1)
      server.embeddedEventLoop.advanceTime(by: .seconds(20))
      #expect(!server.isActive)
    }
  }
}
