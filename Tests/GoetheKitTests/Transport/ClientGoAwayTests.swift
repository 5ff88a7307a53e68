import GRPCCore
import NIOCore
import NIOHTTP2
import NIOPosix
import Testing

@testable import GoetheKit

/// What a call makes of a GOAWAY that excludes its stream, from a server on swift-nio-http2 on a
/// loopback port that answers a call's headers with GOAWAY naming stream 0: refused (sent again
/// by ``GoetheClient``) only when the GOAWAY is graceful. swift-nio-http2 names stream 0 to a peer
/// it takes for an attacker whatever it has processed, so an erroneous GOAWAY is not believed.
@Suite(.timeLimit(.minutes(1))) struct ClientGoAwayTests {
  private final class GoAwayOnHeaders: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame
    let code: HTTP2ErrorCode

    init(code: HTTP2ErrorCode) { self.code = code }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      guard case .headers = unwrapInboundIn(data).payload else { return }
      let goAway = HTTP2Frame(
        streamID: .rootStream, payload: .goAway(lastStreamID: 0, errorCode: code, opaqueData: nil))
      context.writeAndFlush(wrapOutboundOut(goAway), promise: nil)
    }
  }

  private static func failure(ofACallAnsweredWith code: HTTP2ErrorCode) async throws -> RPCError {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let server = try await ServerBootstrap(group: group)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(NIOHTTP2Handler(mode: .server))
          try channel.pipeline.syncOperations.addHandler(GoAwayOnHeaders(code: code))
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    let port = try #require(server.localAddress?.port)
    let transport = try GoetheClientTransport(target: ServerAddress(host: "127.0.0.1", port: port), tls: nil)
    let error = try await withGRPCClient(transport: transport) { client in
      try await #require(throws: RPCError.self) {
        try await client.unary(
          request: ClientRequest(message: [UInt8]()), descriptor: EchoServer.method("Echo"), serializer: RawBytes(),
          deserializer: RawBytes(), options: .defaults
        ) { try $0.message }
      }
    }
    try await server.close()
    try await group.shutdownGracefully()
    return error
  }

  @Test func aCallExcludedByAGracefulGoAwayIsRefused() async throws {
    let error = try await Self.failure(ofACallAnsweredWith: .noError)
    #expect(error.streamRefused)
  }

  @Test func aCallExcludedByAGoAwayForAnErrorMayHaveBeenProcessed() async throws {
    let error = try await Self.failure(ofACallAnsweredWith: .enhanceYourCalm)
    #expect(!error.streamRefused)
    #expect(error.code == .unavailable)
  }
}
