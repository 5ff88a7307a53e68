import GRPCCore
import GoetheKit
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Testing

@testable import goethe

/// How a call ends towards a client that is still sending and reads slowly: the status must reach
/// it after every message of the response, before the stream is reset.
///
/// Both ends are real HTTP/2 handlers (swift-nio-http2) on embedded channels, their bytes passed
/// across by hand, so that the client's flow-control window holds the server's frames back.
@Suite struct GRPCCallEndingTests {
  static let path = "/io.typusomega.goethe.Goethe/Stream"
  /// The client's window for each stream: smaller than the response message.
  static let clientWindow = 16

  /// A server connection whose one method writes a 100-byte message, then fails with UNAVAILABLE.
  static func server() throws -> EmbeddedChannel {
    let channel = EmbeddedChannel()
    let method = RPCMethod.bidirectional { (_: RequestMessages, _: CallContext, sink: any ResponseSink) in
      try await sink.write(GRPCFrameBytes(repeating: 7, count: 100).frame)
      throw RPCError(code: .unavailable, message: "going away")
    }
    let configuration = GRPCCall.Configuration(
      methods: [path: method], maxRequestSize: 1024,
      executor: EventLoopTaskExecutor(eventLoop: channel.eventLoop), calls: CallTracker(),
      requestMemory: RequestMemory(limit: 1 << 30))
    try channel.pipeline.syncOperations.addHandler(
      NIOHTTP2Handler(mode: .server, connectionConfiguration: HTTP2Tuning.connection(announcing: [])))
    try channel.pipeline.syncOperations.addHandler(GRPCConnectionHandler(configuration, targetWindow: 1 << 20))
    try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    return channel
  }

  static func client() throws -> EmbeddedChannel {
    let channel = EmbeddedChannel()
    var configuration = NIOHTTP2Handler.ConnectionConfiguration()
    configuration.initialSettings = [HTTP2Setting(parameter: .initialWindowSize, value: clientWindow)]
    try channel.pipeline.syncOperations.addHandler(
      NIOHTTP2Handler(mode: .client, connectionConfiguration: configuration))
    try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    return channel
  }

  /// Passes bytes both ways, running the server's tasks, until neither end has more to say.
  static func exchange(_ client: EmbeddedChannel, _ server: EmbeddedChannel) throws {
    var quiet = false
    while !quiet {
      quiet = true
      server.embeddedEventLoop.run()
      while case .byteBuffer(let bytes) = try client.readOutbound(as: IOData.self) {
        quiet = false
        try server.writeInbound(bytes)
      }
      server.embeddedEventLoop.run()
      while case .byteBuffer(let bytes) = try server.readOutbound(as: IOData.self) {
        quiet = false
        try client.writeInbound(bytes)
      }
    }
  }

  /// What the client's stream 1 received, in order.
  enum Received: Equatable {
    case headers(status: String?, endStream: Bool)
    case data(Int)
    case reset
  }

  static func received(_ client: EmbeddedChannel) throws -> [Received] {
    var received: [Received] = []
    while let frame = try client.readInbound(as: HTTP2Frame.self) {
      guard frame.streamID == 1 else { continue }
      switch frame.payload {
      case .headers(let headers):
        received.append(.headers(status: headers.headers.first(name: "grpc-status"), endStream: headers.endStream))
      case .data(let data): received.append(.data(data.data.readableBytes))
      case .rstStream: received.append(.reset)
      default: break
      }
    }
    return received
  }

  @Test func theStatusReachesASlowReaderBeforeTheStreamIsReset() throws {
    let client = try Self.client()
    let server = try Self.server()
    defer {
      _ = try? client.finish()
      _ = try? server.finish()
    }
    let headers: HPACKHeaders = [
      ":method": "POST", ":scheme": "http", ":path": Self.path, ":authority": "localhost",
      "content-type": "application/grpc",
    ]
    // The client opens the call and keeps sending: it never ends its side.
    client.writeAndFlush(HTTP2Frame(streamID: 1, payload: .headers(.init(headers: headers))), promise: nil)
    try Self.exchange(client, server)
    let held = try Self.received(client)
    #expect(held == [.headers(status: nil, endStream: false), .data(Self.clientWindow)])

    // The client reads on: its window opens for the rest of the message.
    client.writeAndFlush(HTTP2Frame(streamID: 1, payload: .windowUpdate(windowSizeIncrement: 1 << 10)), promise: nil)
    try Self.exchange(client, server)
    let rest = try Self.received(client)
    #expect(rest == [.data(100 + 5 - Self.clientWindow), .headers(status: "14", endStream: true), .reset])
  }
}
